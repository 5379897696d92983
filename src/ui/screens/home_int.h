/* ui/screens/home_int.h: the home screen's state, shared by home.c (the
 * records list, drawing, opening and closing) and home_keys.c (what the
 * keys do, and the prompts they open). */
#ifndef IMAS_UI_SCREENS_HOME_INT_H
#define IMAS_UI_SCREENS_HOME_INT_H

#include "app/records.h"
#include "core/uuid.h"
#include "ui/ui.h"
#include "ui/widgets/list.h"
#include "ui/widgets/textedit.h"

#include <stdbool.h>
#include <stdint.h>

enum home_mode {
    HOME_LIST,
    HOME_CHOOSE_FORM,
    HOME_CONFIRM_DELETE,
    HOME_CONFIRM_FINALIZE, /* f asks first, saying what finalizing means */
    HOME_REASON,
    HOME_FILTER,
};

/* A yes/no question is open on the prompt row. */
#define HOME_ASKING(h) ((h)->mode == HOME_CONFIRM_DELETE || (h)->mode == HOME_CONFIRM_FINALIZE)

struct home {
    struct records records; /* the model: app/records.h */
    struct list_state list;
    enum home_mode mode;
    struct list_state forms;
    struct textedit reason;
    struct textedit filter; /* the text the list is filtered by (F4) */
    char *message;
    bool message_error;
    bool readonly; /* the file cannot be changed: n, d, f, r, l say why */
    /* where the user was when the program last stopped (F10 or a crash):
     * Enter on that record goes back there; NULL once used */
    char *resume_record, *resume_path, *resume_item;
    /* the record last opened from here (a new one too): highlighted when
     * home comes back, as it moved to the top; "" once followed */
    char left[UUID_STR_LEN];
};

/* home.c */
/* Read the records and the count of merge conflicts again, the highlight
 * on the record left (h->left) when it is listed, else where it was. */
void home_reload(struct ui *ui, struct home *h);
/* After the list was read again: the same record highlighted (by uuid),
 * wherever the new order put it; when it is gone, the same row. */
void home_follow(struct home *h, const char *uuid);
/* Row i as prompts name it: "title (form)", or the form; free it. */
char *home_record_name(struct home *h, size_t i);
/* Read the list again when another program wrote to the file (a merge
 * from another shell), the highlight staying on its record. */
void home_refresh(struct home *h);
/* Highlight row i, scrolling it into view. */
void home_select(struct home *h, size_t i);
/* Forget the position to resume (the strings freed). */
void home_resume_clear(struct home *h);

/* home_keys.c */
/* The screen's key handler (screen_ops.key). */
enum key_result home_key(struct ui *ui, void *state, int key, enum action a);

#endif
