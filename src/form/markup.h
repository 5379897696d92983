/* markup.h: ODK's label markup (markdown: **strong**, __strong__, *em*,
 * _em_, # headings, [text](url), \* \_ \# \\ escapes; HTML tags such as
 * <span style>, <b>, <br>, and character references) as the plain text a
 * terminal shows, by the rules ODK Collect renders labels with. */
#ifndef IMAS_FORM_MARKUP_H
#define IMAS_FORM_MARKUP_H

/* A byte the caller may put in s for an <output> still to be filled in:
 * kept as it is, and never part of markup. */
#define MARKUP_SLOT '\x01'

/* s without its markup: tags dropped (<br> a line break), marks around
 * text dropped, a link as "text (url)", references decoded, white space
 * as HTML shows it (runs of spaces and tabs one space, lines not indented;
 * line breaks kept), other control bytes than tab, line feed and
 * MARKUP_SLOT dropped. Fresh. */
char *markup_plain(const char *s);

#endif
