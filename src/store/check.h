#ifndef IMAS_STORE_CHECK_H
#define IMAS_STORE_CHECK_H

#endif
