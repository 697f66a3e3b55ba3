/* segment - paragraphs, quotation marks and sentences (see segment.c). */
#ifndef HS_SEGMENT_H
#define HS_SEGMENT_H
#include "doc.h"
#endif
