#ifndef IMAS_FORM_TREE_H
#define IMAS_FORM_TREE_H

#endif
