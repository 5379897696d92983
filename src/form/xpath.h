#ifndef IMAS_FORM_XPATH_H
#define IMAS_FORM_XPATH_H

#endif
