/* survey/tags.h: a note's #tags, the one rule the capture screen (which
 * stores them), the conflicts screen and the exports (which show them)
 * share.
 *
 * A tag is a '#' at the start of the text or after a character that is
 * not part of a word, followed by letters of any script, combining marks,
 * digits, '_' or '-' (not ending in '-'). Tags compare without case: they
 * are stored lower-cased (towlower, code point by code point, under the
 * program's UTF-8 locale). */
#ifndef IMAS_SURVEY_TAGS_H
#define IMAS_SURVEY_TAGS_H

#include <stdbool.h>

/* The tags of text: lower-cased, without '#', each once, space-separated,
 * in the order typed; fresh ("" when none). */
char *survey_tags_of(const char *text);

/* Whether text holds tag (with or without its '#') as a tag, in any case:
 * an export appends the tags of a note's tags field that are not in its
 * text, so that a tag typed as #Żłobek is not shown again as #żłobek. */
bool survey_text_has_tag(const char *text, const char *tag);

#endif
