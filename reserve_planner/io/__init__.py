"""Files in and out: the built-in baseline, scenario workbooks, results. No Qt here."""
