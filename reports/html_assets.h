/*
 * html_assets.h - the stylesheet and the script every HTML report inlines.
 * Each is an array of string pieces ending with NULL (ISO C caps a string
 * literal's length); the page and its CSP hash are built from the pieces.
 */
#ifndef SFA_HTML_ASSETS_H
#define SFA_HTML_ASSETS_H

extern const char *const sfa_html_css[];
extern const char *const sfa_html_js[];

#endif
