#ifndef IMAS_STORE_SCHEMA_H
#define IMAS_STORE_SCHEMA_H

#endif
