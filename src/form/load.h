#ifndef IMAS_FORM_LOAD_H
#define IMAS_FORM_LOAD_H

#endif
