/* cmd_merge.h: imas-survey --merge, the command-line side of src/merge. */
#ifndef IMAS_CMD_MERGE_H
#define IMAS_CMD_MERGE_H

#include "cli.h"

/* Merge cli->inputs into cli->into (or the default file), printing one
 * line per input and a total. Returns the exit status: 0 when every input
 * was merged, 1 when any was refused or the target failed. */
int cmd_merge(const struct cli *cli);

#endif
