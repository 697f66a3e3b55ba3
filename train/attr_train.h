/* attr_train - the attribution model's trainer (see attr_train.c). */
#ifndef HS_ATTR_TRAIN_H
#define HS_ATTR_TRAIN_H

#include "buf.h"

/* Trains from data_dir/polnear (train, dev for the log) with the engine's
 * linguistic layers, writes out. seed picks the shuffles of the articles
 * (0: the default ones). Returns HS_OK, or HS_EIO, HS_EMODEL or HS_ENOMEM
 * with the reason in log. */
int attr_train(const hs_engine *eng, const char *data_dir, int epochs, unsigned seed,
               const char *out, buf *log);

#endif
