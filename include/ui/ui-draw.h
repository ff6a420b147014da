/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-draw.h - the dashboard's drawing toolkit (ui-draw.c): the status line
 * and its prompt, colours, bars, cells and text drawn by display width.  The
 * loop (ui.c) and the views (view-*.c, ui-header.c) draw through it; it
 * draws with curses what struct ui (ui.h) holds.
 */
#ifndef CGTOP_UI_DRAW_H
#define CGTOP_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>

struct ui;
struct cg_node;

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

/* A prompt in the status line; done() gets the text (NULL when cancelled with Esc). */
typedef void (*ui_prompt_cb)(struct ui *ui, const char *text, void *data);

/* A message in the status line for a few seconds (error: in the error colour). */
void ui_set_status(struct ui *ui, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ui_prompt(struct ui *ui, const char *label, const char *initial, ui_prompt_cb done, void *data);
void ui_confirm(struct ui *ui, const char *question, ui_prompt_cb done, void *data); /* text "y" or NULL */
/* A key while the prompt is open: edits it, Enter or Esc ends it (done()
 * called).  Returns enum ui_result bits. */
int ui_prompt_key(struct ui *ui, int key);
/* The last line: the prompt, a message, the selected group's whole name or
 * the key hints. */
void ui_draw_status(struct ui *ui, int y);

/* Start the colour pairs when the terminal has colours and they are wanted
 * (cgtoprc, --no-color, NO_COLOR); else ui_color gives attributes only. */
void ui_colors_init(struct ui *ui);
int ui_color(const struct ui *ui, enum ui_color c); /* attribute for attron() */
/* Draw s at y, x in at most w columns (multibyte aware, invalid bytes as ?),
 * padding with blanks.  Returns what did not fit (the end of s when all did). */
const char *ui_put_w(int y, int x, int w, const char *s);
/* The columns s takes on the screen (as ui_put_w draws it). */
int ui_str_width(const char *s);
/* Draw s at y, x in w columns, padding with blanks; when it does not fit, its
 * start and its end around an ellipsis ("\u2026", "..." without UTF-8), the
 * start given start_pct of the room.  Returns whether s was shortened. */
bool ui_put_ellipsized(const struct ui *ui, int y, int x, int w, const char *s, int start_pct);
/* Draw a bar of width w filled to frac (0..1) at y, x. */
void ui_draw_bar(struct ui *ui, int y, int x, int w, double frac);
/* Format a value of column c for node n into out (width w, right aligned); "-" when not valid. */
void ui_format_cell(const struct ui *ui, const struct cg_node *n, int c, char *out, size_t size);

#endif
