// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: another object of the same Makefile: CFLAGS_proto.o is not its;
 * its own -I$(obj) names the directory in the tree and in the output
 * directory (kbuild compiles in the output directory and prepends
 * $(srctree) to a relative include path).
 */
int dccp_output(void)
{
	return 0;
}
