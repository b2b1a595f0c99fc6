/*
 * config_keys.c - every section and key of the configuration file
 * (lib/README.md: [connection], [sync], [license_profiles]; REVIEW.md:
 * [review], [review.owners]).  A key that is
 * not listed here is refused with file:line, so that a typo such as
 * `sync_conected_apps` cannot silently drop a resource from an audit.
 * One line per key: add yours to its section's table.
 */
#include "config.h"

static const sfa_config_key connection_keys[] = {
    {"domain", SFA_CONFIG_STRING},
    {"auth", SFA_CONFIG_STRING},
    {"username", SFA_CONFIG_STRING},
    {"password_file", SFA_CONFIG_STRING},
    {"credentials", SFA_CONFIG_STRING},
    {"client_id", SFA_CONFIG_STRING},
    {"jwt_key", SFA_CONFIG_STRING},
    {"jwt_subject", SFA_CONFIG_STRING},
    {"api_version", SFA_CONFIG_STRING},
    {"ca_bundle", SFA_CONFIG_STRING},
    {NULL, 0}};

static const sfa_config_key sync_keys[] = {
    {"username_as_email", SFA_CONFIG_BOOL},
    {"sync_connected_apps", SFA_CONFIG_BOOL},
    {"no_sync_deactivated_users", SFA_CONFIG_BOOL},
    {"sync_non_standard_licenses", SFA_CONFIG_BOOL},
    {"sync_territories", SFA_CONFIG_BOOL},
    {"sync_entitlements", SFA_CONFIG_BOOL},
    {"login_history", SFA_CONFIG_BOOL},
    {"sync_permissions", SFA_CONFIG_BOOL},
    {"sync_field_permissions", SFA_CONFIG_BOOL},
    {NULL, 0}};

static const sfa_config_key review_keys[] = {{"fallback", SFA_CONFIG_STRING},
					     {"escalation", SFA_CONFIG_STRING},
					     {"contact", SFA_CONFIG_STRING},
					     {NULL, 0}};

/* lib/access/PERMISSIONS.md: add = Name:tier, ...; ignore = Name, ... */
static const sfa_config_key privileged_keys[] = {
    {"add", SFA_CONFIG_STRING}, {"ignore", SFA_CONFIG_STRING}, {NULL, 0}};

const sfa_config_section sfa_config_sections[] = {
    {"connection", connection_keys, 0},
    {"sync", sync_keys, 0},
    /* License Name = Profile Name */
    SFA_CONFIG_FREE_FORM("license_profiles", SFA_CONFIG_STRING),
    {"review", review_keys, 0},
    {"privileged", privileged_keys, 0},
    /* permission_set:Name = reviewer, ..., * = reviewer (REVIEW.md) */
    SFA_CONFIG_FREE_FORM("review.owners", SFA_CONFIG_STRING),
    {NULL, NULL, 0}};
