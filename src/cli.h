#ifndef IMAS_CLI_H
#define IMAS_CLI_H
#endif
