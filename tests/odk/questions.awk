# questions.awk: `imas-survey --check-form FORM --lang all` reduced to the
# question list that tests compare (ODK's engine, the corpus references):
#   KIND PATH
#   label [LANG]: text      (also hint, choice VALUE; "label: text" without
#                            translations), <output>s (${...}) left out
# A group holding only a repeat of the same path (pyxform writes both) is
# the repeat, with the group's texts; ref-less groups are left out (ODK's
# engine has no node for them), messages too.
function flush() {
    if (gline != "") { print gline; for (i = 1; i <= gn; i++) print gtext[i] }
    gline = ""; gn = 0; gpath = ""
}
function text(s) {
    sub(/^ +/, "", s)
    gsub(/\$\{[^}]*\}/, "", s)
    return s
}
/^form / { next }
/^fields without a control:/ { done = 1 }
done { next }
{
    line = $0
    sub(/^ +/, "", line)
    split(line, w, " ")
    kind = w[1]
    if (kind ~ /^(group|repeat|input|select1|select|note|trigger|range|rank|upload)$/ && w[2] ~ /^(\/|-$)/) {
        if (kind == "repeat" && gline != "" && w[2] == gpath) {
            gline = "repeat " w[2]
            flush()
            skip = 0
            next
        }
        flush()
        skip = (w[2] == "-")
        if (skip) next
        if (kind == "group") { gline = kind " " w[2]; gpath = w[2]; next }
        print kind " " w[2]
        next
    }
    if (skip) next
    if (line ~ /^(constraint message|required message)/) next
    if (line ~ /^(label|hint|choice)/) {
        if (gline != "") gtext[++gn] = text(line)
        else print text(line)
    }
}
END { flush() }
