#ifndef IMAS_FORM_CATALOG_H
#define IMAS_FORM_CATALOG_H

#endif
