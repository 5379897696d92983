#ifndef IMAS_UI_UI_H
#define IMAS_UI_UI_H

#endif
