/* attr_features - the feature templates of the two taggers: a cue
 * candidate's words, tags, marks and entities; a token's place relative to a
 * cue (side, distance, sentence, quote marks and cues in between, tree
 * relation); the step between two neighbouring role labels. Template numbers
 * are part of the model file: changing one is a new FEAT_VERSION. */
#include "attr.h"

/* ---- cue features ----------------------------------------------------------- */

/* Words, tags, marks and entities around the token; no parse: tree
 * features here (label, subject, dependents, head) were worth 1.6 points of
 * cue F1 on dev, but they need the parse of every sentence, a sixth of
 * analyze's time, where the role tagger needs only the sentences with a cue. */

size_t attr_cue_features(const hs_doc *d, const ascratch *s, size_t i, size_t sb, size_t se,
                         uint64_t *f)
{
    const tokinfo *T = s->ti;
    static const tokinfo none = {.w = 0x11, .x = 0x12, .st = 0x13, .pos = 0xffff, .shape = 7, .head = -1};
    const tokinfo *t = &T[i];
    const tokinfo *m1 = i > sb ? &T[i - 1] : &none, *m2 = i > sb + 1 ? &T[i - 2] : &none;
    const tokinfo *p1 = i + 1 < se ? &T[i + 1] : &none, *p2 = i + 2 < se ? &T[i + 2] : &none;
    uint64_t inq = (d->tok[i].flags & HS_TF_IN_QUOTE) != 0;
    uint64_t sentq = s->qpre[se] > s->qpre[sb];
    size_t k = 0;
    f[k++] = K1(1, t->w);
    f[k++] = K1(2, t->pos);
    f[k++] = K2(3, t->w, t->pos);
    f[k++] = K2(4, t->x, t->pos);
    f[k++] = K1(5, m1->w);
    f[k++] = K1(6, p1->w);
    f[k++] = K2(7, m1->pos, t->pos);
    f[k++] = K2(8, t->pos, p1->pos);
    f[k++] = K3(9, m1->pos, t->pos, p1->pos);
    f[k++] = K2(10, m1->w, t->w);
    f[k++] = K2(11, t->w, p1->w);
    f[k++] = K1(12, m2->w);
    f[k++] = K1(13, p2->w);
    f[k++] = K3(17, inq, sentq, t->pos);
    f[k++] = K2(18, inq, t->w);
    f[k++] = K3(19, m1->quote, t->w, t->quote);
    f[k++] = K2(20, p1->quote, t->w);
    f[k++] = K2(21, m1->ent, t->w);
    f[k++] = K2(22, p1->ent, t->w);
    f[k++] = K3(23, m1->ent, t->pos, p1->ent);
    f[k++] = K2(24, t->blk, t->pos);
    f[k++] = K2(25, (uint64_t)(i == sb), t->w);
    f[k++] = K2(26, (uint64_t)(i + 1 == se), t->w);
    f[k++] = K2(27, t->shape, t->ent);
    f[k++] = K3(28, m1->w, t->w, p1->w);
    f[k++] = K2(29, m2->pos, m1->pos);
    f[k++] = K2(30, p1->pos, p2->pos);
    f[k++] = K1(31, 1);
    f[k++] = K1(32, t->st);
    f[k++] = K2(33, t->st, p1->pos);
    f[k++] = K2(34, t->pos, p1->w);
    f[k++] = K2(35, t->pos, m1->ent);
    f[k++] = K3(36, t->pos, p1->quote, p1->pos);
    f[k++] = K3(37, m2->ent, m1->pos, t->pos);
    f[k++] = K2(38, t->who, t->pos);
    f[k++] = K2(39, t->who, t->st);
    f[k++] = K3(40, t->pos, p1->pos, p2->pos);
    f[k++] = K3(41, t->st, p1->w, p2->pos);
    f[k++] = K2(42, m1->st, t->st);
    f[k++] = K2(48, t->lex, t->pos);
    f[k++] = K3(49, t->lex, t->pos, p1->pos);
    f[k++] = K3(50, t->lex, t->who, p1->quote);
    f[k++] = K3(51, t->lex, m1->pos, m1->ent);
    f[k++] = K2(52, t->lex, p1->w);
    return k;
}

/* ---- role features ---------------------------------------------------------- */

static inline uint64_t dbucket(size_t v)
{
    static const unsigned char map[] = {0, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7};
    return v < sizeof map ? map[v] : v < 26 ? 8 : v < 50 ? 9 : 10;
}

static inline uint64_t cap3(uint32_t v) { return v < 3 ? v : 3; }

/* How token i relates to the cue's node ch in the tree: a hash of the way
 * there (down a dependent's branch, up to an ancestor, other sentence). */
uint64_t attr_tree_rel(const ascratch *s, size_t i, size_t ch, uint64_t *rel2)
{
    const tokinfo *T = s->ti;
    *rel2 = 0;
    if (T[i].sent != T[ch].sent)
        return 1;
    long x = (long)i, prev = -1, prev2 = -1;
    int steps = 0;
    for (; x >= 0 && s->ancd[x] < 0 && steps < 64; steps++) {
        prev2 = prev;
        prev = x;
        x = T[x].head;
    }
    if (x < 0)
        return 2;
    uint64_t r;
    if (x == (long)ch)
        r = prev < 0 ? 3 : fk_num(4, T[prev].dl);
    else {
        int h = s->ancd[x] > 3 ? 3 : s->ancd[x];
        r = prev < 0 ? fk_num(5, (uint64_t)h) : fk_num(fk_num(6, (uint64_t)h), T[prev].dl);
    }
    /* one level further down the way, and how deep the token lies */
    *rel2 = fk_num(fk_num(r, prev2 >= 0 ? T[prev2].dl : 0), (uint64_t)(steps > 4 ? 4 : steps));
    return r;
}

/* Features of token i for the cue c (unary; the steps between labels and
 * the decoder add the structure). */
/* What a token outside the window looks like to the role features. */
static const tokinfo role_none = {
    .w = 0x11, .x = 0x12, .st = 0x13, .pos = 0xffff, .shape = 7, .head = -1};

/* Role features of token i that depend on the cue only through its side
 * (dir: 1 left, 2 right) and on the window [pb, pe) only through its edges:
 * the same for every cue of a window, so that their scores are kept. */
size_t attr_role_side_features(const hs_doc *d, const ascratch *s, size_t i, size_t pb,
                               size_t pe, uint64_t dir, uint64_t *f)
{
    const tokinfo *T = s->ti;
    const tokinfo *t = &T[i];
    const tokinfo *m1 = i > pb ? &T[i - 1] : &role_none;
    const tokinfo *p1 = i + 1 < pe ? &T[i + 1] : &role_none;
    const tokinfo *m2 = i > pb + 1 ? &T[i - 2] : &role_none;
    const tokinfo *p2 = i + 2 < pe ? &T[i + 2] : &role_none;
    uint64_t inq = (d->tok[i].flags & HS_TF_IN_QUOTE) != 0;
    size_t k = 0;
    f[k++] = K2(114, t->w, dir);
    f[k++] = K3(118, t->pos, p1->pos, dir);
    f[k++] = K3(122, m1->w, dir, inq);
    f[k++] = K3(123, p1->w, dir, t->pos);
    f[k++] = K3(128, p1->quote, dir, t->pos);
    f[k++] = K3(129, m1->quote, dir, inq);
    f[k++] = K2(131, (uint64_t)(d->tok[i].flags & HS_TF_SENT_START ? 1 : 0), dir);
    f[k++] = K1(133, 1);
    f[k++] = K3(139, m2->pos, m1->pos, t->pos);
    f[k++] = K4(140, t->pos, p1->pos, p2->pos, dir);
    return k;
}

/* The other role features of token i for cue c (ch: the cue's node). */
size_t attr_role_cue_features(const hs_doc *d, const ascratch *s, const cue *c, size_t i,
                              size_t pb, size_t pe, uint64_t *f)
{
    const tokinfo *T = s->ti;
    const tokinfo *t = &T[i];
    const tokinfo *m1 = i > pb ? &T[i - 1] : &role_none;
    const tokinfo *cw = &T[c->b], *cl = &T[c->e - 1];
    int left = i < c->b;
    uint64_t dir = left ? 1 : 2;
    size_t dist = left ? c->b - i : i - c->e + 1;
    uint64_t db = dbucket(dist);
    long so = (long)t->sent - (long)cw->sent;
    uint64_t sent = (uint64_t)(so < -2 ? -2 : so > 2 ? 2 : so) + 2;
    uint32_t lo = left ? (uint32_t)i + 1 : c->e, hi = left ? c->b : (uint32_t)i;
    uint64_t qb = cap3(s->qpre[hi] - s->qpre[lo]);
    uint64_t cb = cap3(s->cpre[hi] - s->cpre[lo]);
    uint64_t inq = (d->tok[i].flags & HS_TF_IN_QUOTE) != 0;
    uint64_t cinq = (d->tok[c->b].flags & HS_TF_IN_QUOTE) != 0;
    /* the cue's neighbours: what follows it often decides the content */
    const tokinfo *ca = c->e < pe ? &T[c->e] : &role_none;
    const tokinfo *cbf = c->b > pb ? &T[c->b - 1] : &role_none;
    size_t k = 0;
    f[k++] = K2(105, dir, db);
    f[k++] = K3(106, dir, db, t->pos);
    f[k++] = K3(107, dir, sent, t->pos);
    f[k++] = K4(108, dir, qb, inq, t->quote);
    f[k++] = K3(109, dir, cb, sent);
    f[k++] = K3(110, cw->w, dir, db);
    f[k++] = K3(111, cw->w, dir, t->pos);
    f[k++] = K3(112, cl->w, dir, qb);
    f[k++] = K3(115, t->ent, dir, db);
    f[k++] = K4(117, m1->pos, t->pos, dir, db);
    f[k++] = K3(119, t->shape, dir, db);
    f[k++] = K4(120, dir, db, inq, cinq);
    f[k++] = K3(121, t->blk, dir, sent);
    f[k++] = K4(124, dir, sent, qb, inq);
    f[k++] = K3(125, cw->pos, dir, t->pos);
    f[k++] = K4(126, cw->w, dir, sent, inq);
    f[k++] = K3(127, t->quote, dir, db);
    f[k++] = K4(130, dir, db, cb, inq);
    f[k++] = K4(132, cw->w, cl->w, dir, db);
    f[k++] = K3(134, ca->w, dir, db);
    f[k++] = K3(135, ca->pos, dir, sent);
    f[k++] = K4(136, cbf->ent, dir, db, t->ent);
    f[k++] = K3(137, cw->st, dir, sent);
    f[k++] = K4(138, cw->st, dir, qb, inq);
    f[k++] = K3(141, t->who, dir, db);
    f[k++] = K4(142, m1->w, t->w, dir, sent);
    f[k++] = K3(143, t->st, dir, sent);
    f[k++] = K4(144, ca->w, t->pos, dir, sent);
    if (s->parsed) {
        uint64_t rel = s->rel[i - pb], rel2 = s->rel2[i - pb];
        f[k++] = K2(145, rel, dir);
        f[k++] = K3(146, rel, dir, t->pos);
        f[k++] = K3(147, rel, cw->st, dir);
        f[k++] = K4(148, rel, dir, inq, qb);
        f[k++] = K3(149, rel, t->ent, dir);
        f[k++] = K3(150, rel, dir, db);
        f[k++] = K2(151, rel2, dir);
        f[k++] = K3(152, rel2, dir, t->pos);
        f[k++] = K3(153, rel2, m1->w, t->pos);
    }
    return k;
}

/* All role features of token i for cue c: the cue's own and the side's. */
size_t attr_role_features(const hs_doc *d, const ascratch *s, const cue *c, size_t i, size_t pb,
                          size_t pe, uint64_t *f, size_t ch)
{
    (void)ch;
    size_t k = attr_role_cue_features(d, s, c, i, pb, pe, f);
    return k + attr_role_side_features(d, s, i, pb, pe, i < c->b ? 1 : 2, f + k);
}

/* Features of the step from token i - 1 to token i for the cue c, scored
 * for each pair of labels (previous, current): where a run of source or
 * content starts and ends depends on the words and marks on both sides.
 * (Tree relations here made the tagger follow the parser's mistakes.) */
size_t attr_step_side_features(const hs_doc *d, const ascratch *s, size_t i, uint64_t dir,
                               uint64_t *f)
{
    const tokinfo *T = s->ti, *t = &T[i], *m = &T[i - 1];
    uint64_t inq = (d->tok[i].flags & HS_TF_IN_QUOTE) != 0;
    size_t k = 0;
    f[k++] = K1(300, dir);
    f[k++] = K2(301, m->w, t->pos);
    f[k++] = K2(302, m->pos, t->w);
    f[k++] = K3(303, m->pos, t->pos, dir);
    f[k++] = K3(304, m->quote, t->quote, inq);
    f[k++] = K2(308, t->w, dir);
    f[k++] = K2(309, m->w, dir);
    f[k++] = K2(311, (uint64_t)(T[i].sent != T[i - 1].sent), m->pos);
    return k;
}

/* The one step feature that depends on the cue's edges. */
size_t attr_step_cue_features(const cue *c, size_t i, uint64_t *f)
{
    f[0] = K3(310, (uint64_t)(i == c->e), (uint64_t)(i == c->b), (uint64_t)(i < c->b ? 1 : 2));
    return 1;
}

size_t attr_step_features(const hs_doc *d, const ascratch *s, const cue *c, size_t i,
                          uint64_t *f)
{
    size_t k = attr_step_side_features(d, s, i, i < c->b ? 1 : 2, f);
    return k + attr_step_cue_features(c, i, f + k);
}
