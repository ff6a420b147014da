/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-curses.h - the one include of curses: ncursesw when configure found it
 * (wide characters for UTF-8 tree lines and bars), else plain ncurses.
 */
#ifndef CGTOP_UI_CURSES_H
#define CGTOP_UI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
