/* jsonl - a JSON Lines record as an article (see jsonl.h). Members whose
 * name hearsay writes itself ("blocks", "errors" ...) pass through as
 * "input_NAME" so that the output object never has a key twice. */
#include "jsonl.h"

#include <jansson.h>
#include <string.h>

#include "jstr.h"

/* Keys of the analyze and extract output objects. */
static const char *const taken[] = {
    "schema", "blocks", "sentences", "entities", "attributions", "errors",
    "byline", "published", "lang", "site",
};

static int is_taken(const char *k)
{
    for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
        if (!strcmp(k, taken[i]))
            return 1;
    return !strncmp(k, "input_", 6);
}

void jsonl_rec_free(jsonl_rec *r)
{
    buf *all[] = {&r->id, &r->text, &r->url, &r->title, &r->date, &r->outlet, &r->fields};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_free(all[i]);
}

/* Copies a string member into b; 1 when present, 0 absent, -1 not a string. */
static int take(json_t *o, const char *key, buf *b, int *oom)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return -1;
    if (buf_append(b, json_string_value(v), json_string_length(v)))
        *oom = 1;
    return 1;
}

static int dump_cb(const char *p, size_t n, void *data)
{
    return buf_append(data, p, n);
}

int jsonl_parse(jsonl_rec *r, const char *line, size_t len, size_t budget, buf *err)
{
    buf *all[] = {&r->id, &r->text, &r->url, &r->title, &r->date, &r->outlet, &r->fields};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_clear(all[i]);
    r->html = r->has_id = r->has_url = r->has_title = r->has_date = r->has_outlet = 0;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
    if (i == len)
        return HS_EEMPTY;
    buf_clear(err);
    size_t cost = budget ? jstr_cost(line, len) : 0;
    if (cost > budget) {
        buf_printf(err, "its JSON would take more than %zu MiB of memory to read (about %zu MiB); skipped",
                   budget >> 20, cost >> 20);
        return HS_ETOOBIG;
    }
    json_error_t je;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        buf_printf(err, "not valid JSON: %s (column %d)", je.text, je.column);
        return HS_EFORMAT;
    }
    int rc = HS_EFORMAT, oom = 0;
    if (!json_is_object(o)) {
        buf_printf(err, "not a JSON object");
        goto out;
    }
    json_t *id = json_object_get(o, "id");
    if (json_is_string(id)) {
        r->has_id = 1;
        buf_append(&r->id, json_string_value(id), json_string_length(id));
    } else if (json_is_integer(id)) {
        r->has_id = 1;
        buf_printf(&r->id, "%lld", (long long)json_integer_value(id));
    } else if (id && !json_is_null(id)) {
        buf_printf(err, "\"id\" is neither a string nor an integer");
        goto out;
    }
    int t = take(o, "text", &r->text, &oom);
    if (t <= 0) {
        buf_clear(&r->text);
        int h = take(o, "html", &r->text, &oom);
        if (h <= 0 || t < 0) {
            buf_printf(err, t < 0 || h < 0 ? "\"text\" or \"html\" is not a string"
                                           : "no \"text\" or \"html\" member");
            goto out;
        }
        r->html = 1;
    }
    static const char *const keys[] = {"url", "title", "date", "outlet"};
    buf *dst[] = {&r->url, &r->title, &r->date, &r->outlet};
    int *has[] = {&r->has_url, &r->has_title, &r->has_date, &r->has_outlet};
    for (size_t k = 0; k < 4; k++) {
        int got = take(o, keys[k], dst[k], &oom);
        if (got < 0) {
            buf_printf(err, "\"%s\" is not a string", keys[k]);
            goto out;
        }
        *has[k] = got;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        if (!strcmp(key, "id") || !strcmp(key, "text") || !strcmp(key, "html") ||
            !strcmp(key, "url") || !strcmp(key, "title") || !strcmp(key, "date") ||
            !strcmp(key, "outlet"))
            continue;
        if (r->fields.len)
            oom |= buf_putc(&r->fields, ',');
        if (is_taken(key)) { /* "input_" + the key, escaped as one string */
            size_t at = r->fields.len;
            oom |= jstr_put(&r->fields, key, strlen(key));
            oom |= buf_reserve(&r->fields, 6);
            if (!oom) {
                memmove(r->fields.p + at + 7, r->fields.p + at + 1, r->fields.len - at - 1);
                memcpy(r->fields.p + at + 1, "input_", 6);
                r->fields.len += 6;
                r->fields.p[r->fields.len] = 0;
            }
        } else {
            oom |= jstr_put(&r->fields, key, strlen(key));
        }
        oom |= buf_putc(&r->fields, ':');
        oom |= json_dump_callback(v, dump_cb, &r->fields,
                                  JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER) != 0;
    }
    rc = oom ? HS_ENOMEM : HS_OK;
out:
    json_decref(o);
    return rc;
}
