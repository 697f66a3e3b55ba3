/* structure - block labels for an article's paragraphs (see structure.c). */
#ifndef HS_STRUCTURE_H
#define HS_STRUCTURE_H
#include "doc.h"
#endif
