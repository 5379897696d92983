dist_man1_MANS = doc/imas-survey.1
