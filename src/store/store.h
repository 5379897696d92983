#ifndef IMAS_STORE_STORE_H
#define IMAS_STORE_STORE_H

#endif
