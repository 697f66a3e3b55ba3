/* report - a readable report of one analyzed document for people at a
 * terminal: title, blocks with their kind and a one-line preview, counts,
 * entities, statements grouped by speaker, meetings, and errors. Uses only the public API; colour is ANSI SGR. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

typedef struct style {
    const char *bold, *dim, *reset;
} style;

/* One colour per block kind, in hs_block_kind order. */
static const char *const kind_color[HS_BLOCK_KIND_COUNT] = {
    "\033[1;35m", "\033[36m", "\033[2;36m", "\033[34m", "\033[34m",
    "\033[0m", "\033[32m", "\033[33m", "\033[2;37m",
};

/* Prints text[s,e) on one line, white space folded, cut to at most max
 * display columns (counted as code points) with an ellipsis. */
static void preview(FILE *out, const char *text, uint32_t s, uint32_t e, int max)
{
    int cols = 0, space = 0;
    for (uint32_t i = s; i < e; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = 1;
            continue;
        }
        if ((c & 0xC0) != 0x80) {
            if (cols + space >= max - 1) {
                fputs("…", out);
                return;
            }
            if (space && cols)
                fputc(' ', out), cols++;
            space = 0;
            cols++;
        }
        /* never pass control characters (C0, DEL, C1 as U+0080..U+009F) to a terminal */
        if (c < 0x20 || c == 0x7F) {
            fputc('?', out);
            continue;
        }
        if (c == 0xC2 && i + 1 < e && (unsigned char)text[i + 1] >= 0x80 &&
            (unsigned char)text[i + 1] <= 0x9F) {
            fputc('?', out);
            i++;
            continue;
        }
        fputc(c, out);
    }
}

/* 1-based line number of byte offset off. */
static unsigned line_of(const char *text, uint32_t off, uint32_t *cache_off, unsigned *cache_line)
{
    unsigned line = *cache_line;
    for (uint32_t i = *cache_off; i < off; i++)
        line += text[i] == '\n';
    *cache_off = off;
    *cache_line = line;
    return line;
}

/* Prints text[s,e) folded like preview but returns the columns used. */
static int cols_of(const char *text, uint32_t s, uint32_t e)
{
    int n = 0;
    for (uint32_t i = s; i < e; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

/* One line of context: a little of the text before the content, then the
 * content highlighted (bold in colour, between ⟦ ⟧ without). */
static void context(FILE *out, const char *text, const hs_attribution *a, const style *st,
                    int color, int width)
{
    const hs_span *c = a->content;
    int room = width - 6;
    /* back from the content by up to a third of the line, not past a line break */
    uint32_t from = c->start;
    for (int cols = 0; from > 0 && text[from - 1] != '\n' && cols < room / 3 - 2;) {
        from--;
        cols += ((unsigned char)text[from] & 0xC0) != 0x80;
    }
    while (from < c->start && ((unsigned char)text[from] & 0xC0) == 0x80)
        from++;
    fputs("      ", out);
    if (from < c->start) {
        fprintf(out, "%s", st->dim);
        if (from > 0 && text[from - 1] != '\n')
            fputs("…", out), room--;
        preview(out, text, from, c->start, room);
        fprintf(out, "%s", st->reset);
        room -= cols_of(text, from, c->start);
    }
    fputs(color ? "\033[1;33m" : "⟦", out);
    for (uint32_t j = 0; j < a->ncontent && room > 8; j++) {
        if (j) {
            fputs(" … ", out);
            room -= 3;
        }
        int w = cols_of(text, c[j].start, c[j].end);
        preview(out, text, c[j].start, c[j].end, room);
        room -= w;
    }
    fputs(color ? "\033[0m" : "⟧", out);
    fputc('\n', out);
}

/* Statements grouped by speaker (the resolved entity, else the source as
 * written, else "no source"), speakers in order of their first statement. */
static void statements(FILE *out, const hs_doc *doc, const style *st, int color, int width)
{
    size_t na, nent;
    const hs_attribution *at = hs_doc_attributions(doc, &na);
    const hs_entity *ent = hs_doc_entities(doc, &nent);
    size_t len;
    const char *text = hs_doc_text(doc, &len);
    if (!na)
        return;
    fprintf(out, "\n%sStatements%s %s(%zu)%s\n", st->bold, st->reset, st->dim, na, st->reset);
    unsigned char *done = calloc(na, 1);
    if (!done)
        return;
    for (size_t i = 0; i < na; i++) {
        if (done[i])
            continue;
        const hs_attribution *g = &at[i];
        /* the group's heading */
        fputs("  ", out);
        if (g->source_entity >= 0 && (size_t)g->source_entity < nent) {
            const hs_entity *e = &ent[g->source_entity];
            fprintf(out, "%s%s%s", st->bold, e->name, st->reset);
            if (e->role)
                fprintf(out, " (%s)", e->role);
        } else if (g->nsource) {
            fprintf(out, "%s", st->bold);
            preview(out, text, g->source->start, g->source[g->nsource - 1].end, width - 4);
            fprintf(out, "%s", st->reset);
        } else {
            fprintf(out, "%s(no source named)%s", st->dim, st->reset);
        }
        fputc('\n', out);
        for (size_t j = i; j < na; j++) {
            const hs_attribution *a = &at[j];
            int same;
            if (g->source_entity >= 0)
                same = a->source_entity == g->source_entity;
            else if (g->nsource)
                same = a->source_entity < 0 && a->nsource &&
                       a->source->end - a->source->start == g->source->end - g->source->start &&
                       !memcmp(text + a->source->start, text + g->source->start,
                               g->source->end - g->source->start);
            else
                same = a->source_entity < 0 && !a->nsource;
            if (!same || done[j])
                continue;
            done[j] = 1;
            fputs("    ", out);
            if (a->ncue)
                preview(out, text, a->cue->start, a->cue[a->ncue - 1].end, 30);
            else
                fprintf(out, "%s(no cue)%s", st->dim, st->reset);
            fprintf(out, " %s— %s", st->dim, hs_attr_kind_name(a->kind));
            if (a->via_entity >= 0 && (size_t)a->via_entity < nent)
                fprintf(out, ", via %s", ent[a->via_entity].name);
            for (uint32_t h = 0; h < a->nhedges; h++) {
                fputs(h ? ", " : ", hedged: ", out);
                preview(out, text, a->hedges[h].start, a->hedges[h].end, 20);
            }
            fprintf(out, ", %.2f%s\n", a->confidence, st->reset);
            if (a->ncontent)
                context(out, text, a, st, color, width);
            else
                fprintf(out, "      %s(the statement is announced but not in the text)%s\n",
                        st->dim, st->reset);
        }
    }
    free(done);
}

/* A participant or source: its entity's name, else the text as written. */
static void who(FILE *out, const char *text, hs_span s, long e, const hs_entity *ent, size_t nent)
{
    if (e >= 0 && (size_t)e < nent)
        fputs(ent[e].name, out);
    else
        preview(out, text, s.start, s.end, 40);
}

/* Meetings, one line each: participants — trigger — factuality, according
 * to whom (and through which outlet), with the time and place stated. */
static void meetings(FILE *out, const hs_doc *doc, const style *st, int width)
{
    size_t nv, na, nent, len;
    const hs_event *v = hs_doc_events(doc, &nv);
    const hs_attribution *at = hs_doc_attributions(doc, &na);
    const hs_entity *ent = hs_doc_entities(doc, &nent);
    const char *text = hs_doc_text(doc, &len);
    if (!nv)
        return;
    fprintf(out, "\n%sMeetings%s %s(%zu)%s\n", st->bold, st->reset, st->dim, nv, st->reset);
    for (size_t i = 0; i < nv; i++) {
        const hs_event *e = &v[i];
        fputs("  ", out);
        fputs(st->bold, out);
        for (uint32_t j = 0; j < e->nparticipants; j++) {
            /* a plural pronoun resolved to several parties repeats its span */
            if (j && e->participants[j].entity >= 0 &&
                e->participants[j].entity == e->participants[j - 1].entity)
                continue;
            if (j)
                fputs(j + 1 == e->nparticipants ? " & " : ", ", out);
            who(out, text, e->participants[j].span, e->participants[j].entity, ent, nent);
        }
        fprintf(out, "%s — ", st->reset);
        preview(out, text, e->trigger.start, e->trigger.end, 30);
        fprintf(out, " — %s", hs_factuality_name(e->factuality));
        if (e->source.end > e->source.start) {
            fputs(", according to ", out);
            who(out, text, e->source, e->source_entity, ent, nent);
            if (e->attribution >= 0 && (size_t)e->attribution < na &&
                at[e->attribution].via_entity >= 0 &&
                (size_t)at[e->attribution].via_entity < nent)
                fprintf(out, " (via %s)", ent[at[e->attribution].via_entity].name);
        }
        if (e->time.end > e->time.start) {
            fprintf(out, "%s, when: ", st->dim);
            preview(out, text, e->time.start, e->time.end, 24);
            fputs(st->reset, out);
        }
        if (e->place.end > e->place.start) {
            fprintf(out, "%s, where: ", st->dim);
            preview(out, text, e->place.start, e->place.end, 30);
            fputs(st->reset, out);
        }
        fputc('\n', out);
        /* the sentence around the trigger, for context */
        uint32_t b = e->trigger.start > 60 ? e->trigger.start - 60 : 0;
        while (b > 0 && (text[b] & 0xC0) == 0x80)
            b--;
        fprintf(out, "      %s", st->dim);
        preview(out, text, b, e->trigger.end + 60 < len ? e->trigger.end + 60 : (uint32_t)len,
                width - 8);
        fprintf(out, "%s\n", st->reset);
    }
}

int report_write(FILE *out, const hs_doc *doc, int color, int width)
{
    style st = color ? (style){"\033[1m", "\033[2m", "\033[0m"} : (style){"", "", ""};
    size_t len, nblk, nsent, ntok, npara, nerr;
    const char *text = hs_doc_text(doc, &len);
    const hs_block *blk = hs_doc_blocks(doc, &nblk);
    hs_doc_sentences(doc, &nsent);
    hs_doc_tokens(doc, &ntok);
    hs_doc_paragraphs(doc, &npara);
    const char *const *errs = hs_doc_errors(doc, &nerr);
    const hs_span *title = hs_doc_title(doc);
    if (width < 40)
        width = 40;

    const char *id = hs_doc_id(doc);
    fprintf(out, "%s━━ ", st.bold);
    preview(out, id, 0, (uint32_t)strlen(id), width);
    fprintf(out, " ━━%s\n", st.reset);
    if (title) {
        fprintf(out, "%sTitle:%s ", st.bold, st.reset);
        preview(out, text, title->start, title->end, width - 7);
        fputc('\n', out);
    } else {
        fprintf(out, "%sTitle:%s %s(none)%s\n", st.bold, st.reset, st.dim, st.reset);
    }
    fprintf(out, "%s%zu bytes, %zu paragraphs, %zu sentences, %zu tokens%s\n\n", st.dim, len,
            npara, nsent, ntok, st.reset);
    fprintf(out, "%sBlocks%s\n", st.bold, st.reset);
    uint32_t coff = 0;
    unsigned cline = 1;
    for (size_t b = 0; b < nblk; b++) {
        const char *name = hs_block_kind_name(blk[b].kind);
        for (uint32_t j = 0; j < blk[b].nspans; j++) {
            const hs_span *sp = &blk[b].spans[j];
            unsigned line = line_of(text, sp->start, &coff, &cline);
            fprintf(out, "  %s%-13s%s %s%4u%s  ", color ? kind_color[blk[b].kind] : "",
                    j ? "" : name, st.reset, st.dim, line, st.reset);
            preview(out, text, sp->start, sp->end, width - 23);
            fputc('\n', out);
        }
    }
    size_t nent;
    const hs_entity *ent = hs_doc_entities(doc, &nent);
    if (nent) {
        fprintf(out, "\n%sEntities%s\n", st.bold, st.reset);
        for (size_t i = 0; i < nent; i++) {
            const hs_entity *e = &ent[i];
            fprintf(out, "  %s%-7s%s %s%s%s", st.dim, hs_entity_type_name(e->type), st.reset,
                    st.bold, e->name, st.reset);
            if (e->role)
                fprintf(out, " (%s)", e->role);
            if (e->affiliation)
                fprintf(out, " [%s]", e->affiliation);
            fprintf(out, " %s×%u%s", st.dim, e->nmentions, st.reset);
            for (uint32_t j = 0; j < e->naliases && j < 4; j++)
                fprintf(out, "%s %s", j ? "," : " aka", e->aliases[j]);
            fputc('\n', out);
        }
    }
    statements(out, doc, &st, color, width);
    meetings(out, doc, &st, width);
    if (nerr) {
        fprintf(out, "\n%sErrors%s\n", st.bold, st.reset);
        for (size_t i = 0; i < nerr; i++)
            fprintf(out, "  %s\n", errs[i]);
    }
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}
