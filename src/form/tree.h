/* tree.h: a loaded form as text, what `imas-survey --check-form` prints. */
#ifndef IMAS_FORM_TREE_H
#define IMAS_FORM_TREE_H

#include "form/form.h"

/* A header line (id, version, title, languages with the default marked
 * "*"), one line per control indented by depth (kind, path, label in
 * lang, type, [appearance], required, relevant:, constraint:, calculate:,
 * count:, choices...), then the fields that have no control. Fresh. */
char *form_tree_text(const struct form *f, const char *lang);
/* The same in the default language, and below each control its label,
 * hint, constraint and required messages and static choices' labels in
 * every language ("label [Deutsch (de)]: ...", "(missing)" where that
 * language has none of its own): what --check-form --lang all prints. */
char *form_tree_text_all(const struct form *f);

#endif
