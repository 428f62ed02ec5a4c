#ifndef GOVSWEEP_CLIBXML2_SHIM_H
#define GOVSWEEP_CLIBXML2_SHIM_H
/* Debian's libxml2 is built with ICU; its headers then pull in ICU's, whose UErrorCode
   clashes with the copy inside Foundation ("different definitions in different modules").
   Nothing here uses ICU: keep its headers out. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xmlerror.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>
/* zlib, which libxml2 itself links: sitemaps come as .xml.gz, inflated as they are read. */
#include <zlib.h>

/* xmlFree is a global mutable function pointer, which Swift 6 rejects as not
   concurrency-safe: call it through a function. */
static inline void gs_xml_free(void *p) { xmlFree(p); }
/* inflateInit2 is a macro. 32 + 15: a gzip or zlib header, detected, with the largest window. */
static inline int gs_inflate_init(z_stream *s) { return inflateInit2(s, 32 + MAX_WBITS); }
#endif
