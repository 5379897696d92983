formsdir = $(pkgdatadir)/forms
dist_forms_DATA = forms/imas-dimension-grid.xml forms/ias-focus-group.xml
