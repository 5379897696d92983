/* device.h: this laptop's identity (SPEC 4): a device id and a human name,
 * kept with the user on the laptop, never in a survey file, so a file
 * copied to another laptop writes that laptop's id from its first edit.
 *
 * The identity lives in $XDG_STATE_HOME/imas-survey/device (XDG_STATE_HOME
 * defaulting to ~/.local/state), made on first use with mode 0600 in a
 * 0700 directory, as lines "id=UUID" and "name=TEXT". The name is, first
 * of all, $IMAS_SURVEY_DEVICE_NAME; else the file's name= line, which the
 * user may edit ("name=Maria's laptop"); else the host name. */
#ifndef IMAS_CORE_DEVICE_H
#define IMAS_CORE_DEVICE_H

#include <stdbool.h>

#include "core/error.h"
#include "core/uuid.h"

/* Longest name kept, in bytes (longer ones are cut at a character). */
#define DEVICE_NAME_MAX 120

struct device {
    char id[UUID_STR_LEN];
    char name[DEVICE_NAME_MAX + 1]; /* valid UTF-8, no control characters */
    bool ephemeral; /* the state file could not be read or made: this id
                     * lasts as long as the process */
};

/* Read this laptop's identity, making it the first time. When the state
 * directory cannot be written, a fresh id for this process is used
 * (ephemeral, err says why) and true is still returned: the user's typing
 * is never refused for it. */
bool device_load(struct device *d, struct error *err);

/* The path of the identity file (a fresh string). */
char *device_path(void);

#endif
