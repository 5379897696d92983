#ifndef IMAS_FORM_ITEXT_H
#define IMAS_FORM_ITEXT_H

#endif
