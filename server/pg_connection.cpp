#include "pg_connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace keha::server {

namespace {

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// SQLSTATE classes that say "try again later": a lost connection (08), no resources such as a
// full disk (53), the server shutting down (57), a lock not had in time (55P03), a
// serialization failure or deadlock (40).
bool passing(const std::string& state)
{
    return starts_with(state, "08") || starts_with(state, "53") || starts_with(state, "57") || state == "55P03" ||
           starts_with(state, "40");
}

// libpq's connection messages name the host, the database and the user, never the password.
std::string one_line(std::string message)
{
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    for (auto& c : message)
        if (c == '\n' || c == '\t') c = ' ';
    return message;
}

}  // namespace

bool is_postgres_dsn(const std::string& db)
{
    return starts_with(db, "postgresql://") || starts_with(db, "postgres://");
}

bool dsn_has_password(const std::string& dsn)
{
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
    PQfreemem(error);
    if (!options) return false;
    bool found = false;
    for (auto* o = options; o->keyword; ++o)
        if (std::string(o->keyword) == "password" && o->val && *o->val) found = true;
    PQconninfoFree(options);
    return found;
}

std::string without_password(const std::string& dsn)
{
    std::string out = dsn;
    const auto scheme = out.find("://");
    if (scheme == std::string::npos) return out;
    // user:password@host — the authority ends at the first '/' or '?'.
    const auto start = scheme + 3;
    const auto end = out.find_first_of("/?", start);
    const auto at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at >= start) {
        const auto colon = out.find(':', start);
        if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    // …?password=secret&…
    for (auto p = out.find("password=", start); p != std::string::npos; p = out.find("password=", p + 1)) {
        if (out[p - 1] != '?' && out[p - 1] != '&') continue;
        const auto value = p + 9;
        const auto value_end = out.find('&', value);
        out.replace(value, (value_end == std::string::npos ? out.size() : value_end) - value, "***");
    }
    return out;
}

Pg_param pg_seq(std::uint64_t seq)
{
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return std::to_string(seq > max ? max : seq);
}

// ---- results ----------------------------------------------------------------------------

Pg_result::Pg_result(pg_result* r) : r_(r, PQclear) {}

int Pg_result::rows() const { return PQntuples(r_.get()); }

int Pg_result::columns() const { return PQnfields(r_.get()); }

std::string Pg_result::text(int row, int column) const
{
    return std::string(PQgetvalue(r_.get(), row, column), static_cast<std::size_t>(PQgetlength(r_.get(), row, column)));
}

std::int64_t Pg_result::integer(int row, int column) const
{
    return null(row, column) ? 0 : std::stoll(PQgetvalue(r_.get(), row, column));
}

bool Pg_result::null(int row, int column) const { return PQgetisnull(r_.get(), row, column) != 0; }

std::int64_t Pg_result::changed() const
{
    const char* n = PQcmdTuples(r_.get());
    return n && *n ? std::stoll(n) : 0;
}

std::string Pg_result::command() const { return PQcmdStatus(r_.get()); }

// ---- the connection ---------------------------------------------------------------------

Pg_connection::Pg_connection(std::string dsn) : dsn_(std::move(dsn)), c_(nullptr, PQfinish) { connect(); }

void Pg_connection::connect()
{
    // Defaults first: the DSN's own settings override them; the encoding is ours to choose.
    const char* keywords[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
    const char* values[] = {"10", "keha-server", dsn_.c_str(), "UTF8", nullptr};
    c_.reset(PQconnectdbParams(keywords, values, 1));
    prepared_.clear();
    queued_.clear();
    if (!c_) throw Store_unavailable("cannot connect to PostgreSQL: out of memory");
    // The server's notices ("terminating connection …") are not for the server's log.
    PQsetNoticeProcessor(c_.get(), [](void*, const char*) {}, nullptr);
    if (PQstatus(c_.get()) != CONNECTION_OK)
        throw Store_unavailable("cannot connect to PostgreSQL at " + without_password(dsn_) + ": " +
                                one_line(PQerrorMessage(c_.get())));
    // Nothing waits forever for another program's lock (the SQLite store waits 5 s too), and
    // an append is acknowledged only once it is on the database server's disk.
    exec("SET lock_timeout = '5s'");
    exec("SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'");
}

Pg_result Pg_connection::checked(pg_result* raw, const char* doing)
{
    Pg_result result(raw);
    const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    // The primary message only: the detail may quote a row's values (what a meeting said).
    const char* primary = raw ? PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    last_state_ = state ? state : "";
    const std::string message = std::string("PostgreSQL ") + doing + " failed: " +
                                (primary ? primary : one_line(PQerrorMessage(c_.get())));
    if (PQstatus(c_.get()) != CONNECTION_OK || (state && passing(state))) throw Store_unavailable(message);
    throw Store_error(message);
}

Pg_result Pg_connection::exec(const std::string& sql)
{
    send_queued();
    return checked(PQexec(c_.get(), sql.c_str()), "a statement");
}

const std::string& Pg_connection::prepared(const char* sql)
{
    auto [it, added] = prepared_.try_emplace(sql, "k" + std::to_string(prepared_.size()));
    if (added) {
        try {
            checked(PQprepare(c_.get(), it->second.c_str(), sql, 0, nullptr), "preparing a statement");
        } catch (...) {
            prepared_.erase(it);
            throw;
        }
    }
    return it->second;
}

namespace {

// PostgreSQL's text holds no NUL character: one that came in a name or a comment (JSON's
// \u0000) is dropped rather than cutting the text short there.
std::vector<Pg_param> without_nul(std::initializer_list<Pg_param> params)
{
    std::vector<Pg_param> out(params);
    for (auto& p : out)
        if (p) std::erase(*p, '\0');
    return out;
}

std::vector<const char*> values_of(const std::vector<Pg_param>& params)
{
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    return values;
}

}  // namespace

Pg_result Pg_connection::run(const char* sql, std::initializer_list<Pg_param> params)
{
    send_queued();
    const auto& name = prepared(sql);
    const auto kept = without_nul(params);
    const auto values = values_of(kept);
    return checked(PQexecPrepared(c_.get(), name.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                  nullptr, 0),
                   "a statement");
}

void Pg_connection::queue(const char* sql, std::initializer_list<Pg_param> params)
{
    queued_.push_back({prepared(sql), without_nul(params)});
}

void Pg_connection::queue(const char* sql, std::vector<Pg_param> params)
{
    for (auto& p : params)
        if (p) std::erase(*p, '\0');
    queued_.push_back({prepared(sql), std::move(params)});
}

// libpq's pipeline mode: many statements, one round trip. In slices, so that the results the
// server writes while it reads never fill the socket's buffer (which would leave both waiting).
void Pg_connection::send_queued()
{
    if (queued_.empty()) return;
    auto statements = std::exchange(queued_, {});
    constexpr std::size_t slice = 200;
    if (PQenterPipelineMode(c_.get()) != 1) checked(nullptr, "a pipeline");
    std::optional<Pg_result> failed;
    for (std::size_t first = 0; first < statements.size() && !failed; first += slice) {
        const auto last = std::min(statements.size(), first + slice);
        for (auto i = first; i < last; ++i) {
            const auto values = values_of(statements[i].params);
            PQsendQueryPrepared(c_.get(), statements[i].name.c_str(), static_cast<int>(values.size()), values.data(),
                                nullptr, nullptr, 0);
        }
        PQpipelineSync(c_.get());
        // Each statement's result and its end (null), then the sync; after a failure the
        // rest of the slice answers "aborted".
        for (;;) {
            pg_result* r = PQgetResult(c_.get());
            if (!r) {
                if (PQstatus(c_.get()) != CONNECTION_OK) break;
                continue;
            }
            const auto status = PQresultStatus(r);
            if (status == PGRES_PIPELINE_SYNC) {
                PQclear(r);
                break;
            }
            if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || failed) PQclear(r);
            else failed.emplace(r);
        }
        if (PQstatus(c_.get()) != CONNECTION_OK) break;
    }
    PQexitPipelineMode(c_.get());
    if (PQstatus(c_.get()) != CONNECTION_OK) checked(nullptr, "a pipeline");
    if (failed) checked(failed->release(), "a statement");
}

void Pg_connection::begin(const char* sql)
{
    try {
        exec(sql);
    } catch (const Store_error&) {
        // Nothing was sent yet but BEGIN: whatever failed (a connection the server closed,
        // whose news libpq only reads now), a new connection is safe to try once.
        connect();
        exec(sql);
    }
}

void Pg_connection::commit()
{
    send_queued();
    auto result = checked(PQexec(c_.get(), "COMMIT"), "COMMIT");
    // COMMIT of a transaction that had failed answers ROLLBACK, not an error.
    if (result.command() != "COMMIT") throw Store_error("PostgreSQL rolled the transaction back");
}

bool Pg_connection::usable() const { return c_ && PQstatus(c_.get()) == CONNECTION_OK && !in_transaction(); }

int Pg_connection::backend_pid() const { return c_ ? PQbackendPID(c_.get()) : 0; }

bool Pg_connection::in_transaction() const
{
    const auto t = PQtransactionStatus(c_.get());
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

void Pg_connection::recover()
{
    queued_.clear();
    if (c_ && PQstatus(c_.get()) == CONNECTION_OK) {
        if (in_transaction()) PQclear(PQexec(c_.get(), "ROLLBACK"));
        if (PQstatus(c_.get()) == CONNECTION_OK) return;
    }
    connect();
}

int Pg_connection::socket() const { return c_ ? PQsocket(c_.get()) : -1; }

bool Pg_connection::read_input()
{
    // libpq's socket is non-blocking: this reads only what has arrived.
    return c_ && PQconsumeInput(c_.get()) == 1 && PQstatus(c_.get()) == CONNECTION_OK;
}

std::vector<Pg_connection::Notification> Pg_connection::notifications()
{
    std::vector<Notification> out;
    if (!c_) return out;
    while (PGnotify* n = PQnotifies(c_.get())) {
        out.push_back({n->relname, n->extra ? n->extra : "", n->be_pid});
        PQfreemem(n);
    }
    return out;
}

}  // namespace keha::server
