/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-draw.h - the dashboard's drawing toolkit (ui-draw.c): the status line
 * and its prompt, colours, bars and text drawn by display width.  It knows
 * curses and struct draw, nothing of the dashboard: the loop (ui.c, with
 * ui-status.c) and the views draw through it, by the short wrappers of ui.h
 * that pass &ui->draw.
 */
#ifndef CGTOP_UI_DRAW_H
#define CGTOP_UI_DRAW_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Colour pairs; with --no-color / NO_COLOR all map to attributes only. */
enum ui_color {
	UC_DEFAULT,
	UC_HEADER,   /* header labels */
	UC_TITLE,    /* the column title line */
	UC_SORTED,   /* title of the sort column */
	UC_SELECTED, /* selected row */
	UC_FLASH,    /* a group that just had an OOM kill or a fork rejection */
	UC_BAR_LOW,
	UC_BAR_MID,
	UC_BAR_HIGH,
	UC_STATUS,
	UC_ERROR,
	UC_DIM, /* "-" and tree lines */
	_UC_MAX,
};

/* What the toolkit draws with: the terminal's abilities, the message of the
 * status line and the prompt being typed there.  Its owner (struct ui) keeps
 * what a prompt is for and what the line shows when it has no message. */
struct draw {
	bool color; /* colours in use */
	bool utf8;  /* tree lines, bars and the ellipsis in UTF-8 */
	char status[512];
	bool status_error;
	uint64_t status_until_usec; /* 0: until the next message */
	struct draw_prompt {
		bool active;
		bool confirm; /* y/n question: any key answers */
		char label[160];
		char text[256];
		size_t len;
	} prompt;
};

/* ---- the status line and its prompt ---- */

/* A message for a few seconds from now_usec (error: in the error colour). */
void draw_vstatus(struct draw *d, uint64_t now_usec, bool error, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* Whether a message is shown at now_usec; when it expired, it is cleared and
 * *expired set. */
bool draw_status_shown(struct draw *d, uint64_t now_usec, bool *expired);
/* Open the prompt (confirm: a y/n question, any key answers). */
void draw_prompt_open(struct draw *d, const char *label, const char *initial, bool confirm);
enum draw_prompt_state {
	DRAW_PROMPT_EDITING,   /* the key changed the text (or nothing) */
	DRAW_PROMPT_DONE,      /* Enter, or y to a question: the text stands */
	DRAW_PROMPT_CANCELLED, /* Esc, ^G, or any other key to a question */
};
/* A key while the prompt is open: edits the text (a whole UTF-8 character
 * for Backspace, ^U clears), Enter or Esc close it. */
enum draw_prompt_state draw_prompt_key(struct draw *d, int key);
/* Line y: the prompt with the cursor at its end, or the message being shown.
 * Returns false, drawing nothing, when there is neither (the owner draws its
 * hints). */
bool draw_status_line(const struct draw *d, int y, uint64_t now_usec);

/* ---- colours, bars, text ---- */

/* Start the colour pairs when wanted (cgtoprc, --no-color, NO_COLOR) and the
 * terminal has colours; else draw_color gives attributes only. */
void draw_colors_init(struct draw *d, bool wanted);
int draw_color(const struct draw *d, enum ui_color c); /* attribute for attron() */
/* Draw s at y, x in at most w columns (multibyte aware, invalid bytes as ?),
 * padding with blanks.  Returns what did not fit (the end of s when all did). */
const char *ui_put_w(int y, int x, int w, const char *s);
/* The columns s takes on the screen (as ui_put_w draws it). */
int ui_str_width(const char *s);
/* Draw s at y, x in w columns, padding with blanks; when it does not fit, its
 * start and its end around an ellipsis ("\u2026", "..." without UTF-8), the
 * start given start_pct of the room.  Returns whether s was shortened. */
bool draw_put_ellipsized(const struct draw *d, int y, int x, int w, const char *s, int start_pct);
/* Draw a bar of width w filled to frac (0..1) at y, x. */
void draw_bar(const struct draw *d, int y, int x, int w, double frac);

#endif
