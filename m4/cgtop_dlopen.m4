dnl SPDX-License-Identifier: GPL-2.0-or-later
dnl CGTOP_DLOPEN_SONAME(PREFIX, PKG, SYMBOL, HEADER, WHAT)
dnl
dnl cgtop loads some libraries with dlopen when an option needs them, not at
dnl start: the headers come from pkg-config as for any library (PREFIX_CFLAGS,
dnl for the prototypes), but the binary is not linked against PREFIX_LIBS.
dnl This finds the soname to load: PREFIX_SONAME if the user gave it, else the
dnl DT_SONAME of the file the linker would take for pkg-config's -l (in its -L
dnl directories, then in the compiler's), read with objdump -p.  It then
dnl checks that the soname loads and has SYMBOL (not when cross-compiling),
dnl and defines PREFIX_SONAME in config.h.  PREFIX_LIBS is emptied.
AC_DEFUN([CGTOP_DLOPEN_SONAME], [
	AC_REQUIRE([AC_PROG_AWK])
	AC_REQUIRE([CGTOP_DLOPEN_PROGS])
	AC_ARG_VAR([$1_SONAME], [the soname cgtop loads $5 from (default: the one of the library the linker finds)])
	AC_MSG_CHECKING([for the soname of $5])
	AS_IF([test -z "$$1_SONAME"], [
		cgtop_so=
		cgtop_l=`$PKG_CONFIG --libs-only-l $2 | $AWK '{ for (i = 1; i <= NF; i++) if ($i ~ /^-l/) { print substr($i, 3); exit } }'`
		for cgtop_d in `$PKG_CONFIG --libs-only-L $2 | sed 's/-L//g'`; do
			AS_IF([test -f "$cgtop_d/lib$cgtop_l.so"], [cgtop_so=$cgtop_d/lib$cgtop_l.so; break])
		done
		dnl -print-file-name prints the bare name back when it finds no file
		AS_IF([test -z "$cgtop_so"], [cgtop_so=`$CC $CFLAGS $LDFLAGS -print-file-name=lib$cgtop_l.so`])
		AS_IF([test -f "$cgtop_so"],
			[$1_SONAME=`$OBJDUMP -p "$cgtop_so" 2>/dev/null | $AWK '$[]1 == "SONAME" { print $[]2 }'`])
		AS_IF([test -z "$$1_SONAME"],
			[AC_MSG_RESULT([not found])
			 AC_MSG_ERROR([cannot tell the soname of $5 (lib$cgtop_l.so: ${cgtop_so:-not found}); give it: ./configure $1_SONAME=lib$cgtop_l.so.N])])
	])
	AC_MSG_RESULT([$$1_SONAME])
	AC_CACHE_CHECK([whether $$1_SONAME loads], [cgtop_cv_dlopen_$1], [
		cgtop_save_CFLAGS=$CFLAGS
		CFLAGS="$CFLAGS $$1_CFLAGS"
		AC_RUN_IFELSE([AC_LANG_PROGRAM([[#include <dlfcn.h>
#include <stdio.h>
#include <$4>]], [[
	void *h = dlopen("$$1_SONAME", RTLD_NOW);
	typeof($3) *p;
	if (!h || !(p = (typeof($3) *)dlsym(h, "$3"))) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	return 0;]])],
			[cgtop_cv_dlopen_$1=yes], [cgtop_cv_dlopen_$1=no], [cgtop_cv_dlopen_$1="not checked (cross-compiling)"])
		CFLAGS=$cgtop_save_CFLAGS
	])
	AS_IF([test "x$cgtop_cv_dlopen_$1" = xno],
		[AC_MSG_ERROR([$$1_SONAME does not load or has no $3 (see config.log); give the right one: ./configure $1_SONAME=...])])
	AC_DEFINE_UNQUOTED([$1_SONAME], ["$$1_SONAME"], [the soname of $5, loaded when an option needs it])
	$1_LIBS=
])

dnl objdump and dlopen's library (none since glibc 2.34), once
AC_DEFUN([CGTOP_DLOPEN_PROGS], [
	AC_CHECK_TOOL([OBJDUMP], [objdump], [objdump])
	AC_SEARCH_LIBS([dlopen], [dl], [], [AC_MSG_ERROR([no dlopen])])
])
