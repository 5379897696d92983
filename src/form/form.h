#ifndef IMAS_FORM_FORM_H
#define IMAS_FORM_FORM_H

#endif
