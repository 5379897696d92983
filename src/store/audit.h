#ifndef IMAS_STORE_AUDIT_H
#define IMAS_STORE_AUDIT_H

#endif
