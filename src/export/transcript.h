/* transcript.h: a focus-group form's sessions for qualitative analysis:
 * the participants table (the roster of every session, with the labels of
 * its choices and how many notes each participant has) and one transcript
 * per session in transcripts/, UTF-8 text in the "Speaker: text" shape that
 * NVivo, ATLAS.ti and MAXQDA import:
 *
 *   [00:03:12] P01 (Practitioner): what was said #tag
 *
 * The time is counted from the session's first note; a heading line
 * (underlined) starts each change of topic and phase; a quote ends with
 * " [quote]"; the note's tags follow as #words (those not in the text).
 * The capture clock's pauses (F6, kept in the record's audit) are lines
 * of their own, "[00:20:00] [pause]" and "[00:31:00] [resume]", and a
 * note begun while the clock was paused ends with " [typed while
 * paused]". */
#ifndef IMAS_EXPORT_TRANSCRIPT_H
#define IMAS_EXPORT_TRANSCRIPT_H

#include "export/tables.h"

/* Both do nothing for a form without an imas-log repeat (or roster). */
bool export_participants(struct export_ctx *x, struct error *err);
bool export_transcripts(struct export_ctx *x, struct error *err);

/* "[hh:mm:ss]" for the seconds since the first note (negative: 0). */
void transcript_stamp(double seconds, char buf[32]);

#endif
