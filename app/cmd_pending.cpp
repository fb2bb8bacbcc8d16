// Weak placeholders so the CLI links while subcommands are being written.
#include "app/app.h"
namespace banwatch::app {
#define BANWATCH_PENDING(fn) __attribute__((weak)) void fn(CLI::App&, Context&) {}
BANWATCH_PENDING(add_sources_edit_commands)
BANWATCH_PENDING(add_sources_opml_commands)
BANWATCH_PENDING(add_events_command)
BANWATCH_PENDING(add_stats_command)
BANWATCH_PENDING(add_parse_feed_command)
BANWATCH_PENDING(add_parse_article_command)
BANWATCH_PENDING(add_rules_commands)
BANWATCH_PENDING(add_reextract_command)
BANWATCH_PENDING(add_crawl_command)
BANWATCH_PENDING(add_recrawl_command)
BANWATCH_PENDING(add_digest_command)
BANWATCH_PENDING(add_search_command)
BANWATCH_PENDING(add_backup_command)
}  // namespace banwatch::app
