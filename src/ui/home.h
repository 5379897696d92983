#ifndef IMAS_UI_HOME_H
#define IMAS_UI_HOME_H

#endif
