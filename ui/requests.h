/* requests: the console's ways in besides typing: importing a pasted curl command, URL, log
 * line or a file (curl, HAR, log; src/import.h), and the saved requests (src/collection.h):
 * saving the form's request by name and opening a saved one. */
#ifndef KT_UI_REQUESTS_H
#define KT_UI_REQUESTS_H

#include "ui.h"

/* Prompts for the text (or a file name) and fills the form from it. */
void requests_import(console *c);
/* Prompts for a name and saves the request in the form (no secret is saved). */
void requests_save(console *c);
/* Lists the saved requests; the chosen one fills its action's form. */
void requests_open(console *c);

#endif
