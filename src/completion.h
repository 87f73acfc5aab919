/* completion: bash and zsh completion scripts for ktestme, generated from an API schema (the
 * one in use, as kalcli generates its completion from the server's): commands and their
 * options, services, actions, parameter names, nested properties by their declared (or chosen
 * objectType) class, enum values, objectType subclasses, and saved-request names for `run`.
 * The data is written as plain shell case statements both shells read; a small driver per
 * shell does the rest. Plain C, no curses. */
#ifndef KT_COMPLETION_H
#define KT_COMPLETION_H

#include "schema.h"

typedef enum { COMPLETION_BASH, COMPLETION_ZSH } completion_shell;

/* The script, malloc'd. */
char *completion_script(const schema *s, completion_shell shell);

#endif
