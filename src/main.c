#include "cli.h"
#include "harden.h"

int main(int argc, char **argv)
{
	harden_process();
	return cli_main(argc, argv);
}
