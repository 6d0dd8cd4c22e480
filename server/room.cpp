#include "room.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>
#include <set>
#include <variant>

#include "access_log.hpp"
#include "appends_coming.hpp"
#include "command_inputs.hpp"
#include "exception_boundary.hpp"
#include "keha/code.hpp"
#include "keha/i18n.hpp"
#include "keha/protocol.hpp"
#include "keha/qa.hpp"
#include "keha/ratings.hpp"
#include "keha/reducer.hpp"
#include "keha/view.hpp"
#include "keha/voting.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "message.hpp"
#include "replay.hpp"
#include "secrets.hpp"
#include "server_context.hpp"
#include "websocket_session.hpp"

namespace keha::server {
namespace {

// Enough for any resume after a short drop; older resumes get the full state.
constexpr std::size_t log_in_memory = 5000;
// A rejoin code: ten characters of the room codes' alphabet (about 50 bits), single use,
// for ten minutes; wrong ones count as wrong room codes of the address (address_limits.hpp).
constexpr std::size_t rejoin_code_length = 10;
constexpr std::int64_t rejoin_code_ms = 10 * 60 * 1000;

// What a person typed, as the code is kept: upper case, without dashes or spaces.
std::string plain_rejoin_code(std::string_view typed)
{
    std::string out;
    for (char c : typed) {
        if (c == '-' || c == ' ') continue;
        out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return out;
}

std::shared_ptr<const std::string> body_text(std::uint64_t seq, const std::string& by, const std::string& cmd,
                                             const json& patch)
{
    return text_of({{"seq", seq}, {"by", by}, {"cmd", cmd}, {"patch", patch}});
}

// Whether a member gets the full patch of an entry or the one without what it may not see.
template <typename Entry>
bool sees_full(const Entry& e, const std::string& pid, Role role)
{
    return e.authors.empty() || (role == Role::facilitator && e.facilitators_privileged) ||
           std::find(e.authors.begin(), e.authors.end(), pid) != e.authors.end();
}

// The entry as a member receives it: full, with its own votes put back, or redacted.
template <typename Entry>
const Shared_text& body_for(const Entry& e, const std::string& pid, Role role)
{
    if (sees_full(e, pid, role)) return e.full_body;
    if (auto it = e.own.find(pid); it != e.own.end()) return it->second.first;
    return e.redacted_body;
}

template <typename Entry>
const Shared_text& message_for(const Entry& e, const std::string& pid, Role role)
{
    if (sees_full(e, pid, role)) return e.full_message;
    if (auto it = e.own.find(pid); it != e.own.end()) return it->second.second;
    return e.redacted_message;
}

Shared_text as_patch_message(const std::string& body)
{
    // body is {"seq":...}: the message is the same object with "type" first.
    return std::make_shared<const std::string>(R"({"type":")" + std::string(protocol::type::patch) + R"(",)" + body.substr(1));
}

}  // namespace

std::int64_t now_ms()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Room::Room(Server_context& context, Loaded_room loaded)
    : context_(context),
      strand_(net::make_strand(context.ioc)),
      code_(loaded.room.code),
      record_(loaded.room)
{
    load(std::move(loaded));
    last_used_ms = now_ms();
}

void Room::load(Loaded_room loaded)
{
    seq_ = loaded.snapshot_seq;
    token_hashes_ = std::move(loaded.token_hashes);
    stored_bytes_ = std::move(loaded.op_bytes);
    room_bytes_ = 0;
    for (const auto& [by, bytes] : stored_bytes_) room_bytes_ += bytes;
    // The log keeps what it has up to the snapshot (those entries are durable already).
    while (!log_.empty() && log_.back().seq > seq_) log_.pop_back();
    state_ = fold(loaded.snapshot, loaded.ops, [this](const Op_record& op, const json& patch) {
        seq_ = op.seq;
        if (log_.empty() || log_.back().seq < op.seq) log_.push_back(make_entry(op.seq, op.by, op.cmd, patch));
        if (log_.size() > log_in_memory) log_.pop_front();
    });
    durable_seq_ = seq_;
    state_text_.clear();
    column_ends_.clear();
}

void Room::start()
{
    loaded_at_ms_ = now_ms();
    on_strand("room_start", [this] {
        std::vector<std::string> online;
        for (const auto& [pid, p] : state_["participants"].items())
            if (p.value("online", false)) online.push_back(pid);
        for (const auto& pid : online) server_command("participant.offline", {{"pid", pid}});
        arm_vote_end();
    });
}

void Room::arm_vote_end(bool retry)
{
    const auto at = voting_ends_at(state_);
    if ((at == vote_end_armed_ && !retry) || deleted_ || context_.stopping) return;
    vote_end_armed_ = at;
    vote_end_timer_.cancel();
    if (!at) return;
    vote_end_timer_.expires_after(retry ? std::chrono::milliseconds(1000)
                                        : std::chrono::milliseconds(std::max<std::int64_t>(0, *at - now_ms())));
    vote_end_timer_.async_wait([weak = weak_from_this(), at](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (ec || !self) return;
        self->guarded("vote_end", [&] {
            if (self->vote_end_armed_ != at) return;
            // Refused (the store cannot save now, a clock behind the vote's end): again in a second.
            if (self->server_command("vote.end", json::object())) self->arm_vote_end(true);
        });
    });
}

void Room::on_strand(const char* where, std::function<void()> work)
{
    net::post(strand_, [self = shared_from_this(), where, work = std::move(work)] { self->guarded(where, work); });
}

void Room::guarded(const char* where, const std::function<void()>& work)
{
    Send_batch batch;  // what this work sends leaves in one post per member
    try {
        work();
    } catch (...) {
        log_exception(where);
        reopen();
    }
}

void Room::in_order(const char* where, std::function<void()> work)
{
    on_strand(where, [this, where, work = std::move(work)]() mutable {
        if (!reading_) return work();
        behind_read_.emplace_back(where, std::move(work));
    });
}

template <class T>
void Room::read_then(const char* where, std::function<T()> read, std::function<void(Off_io_result<T>)> then)
{
    reading_ = true;
    ++in_flight_;  // the room is not unloaded while it waits
    context_.blocking.run(strand_, std::move(read),
                          [self = shared_from_this(), where, then = std::move(then)](Off_io_result<T> result) {
                              --self->in_flight_;
                              self->reading_ = false;
                              self->guarded(where, [&] { then(std::move(result)); });
                              self->run_held();
                          });
}

void Room::run_held()
{
    // Held work may start a read of its own: what comes after it waits again.
    while (!reading_ && !behind_read_.empty()) {
        auto [where, work] = std::move(behind_read_.front());
        behind_read_.pop_front();
        guarded(where, work);
    }
}

void Room::reopen(protocol::Bye_reason reason)
{
    // The fault may have come halfway through a change: what is in memory can no longer be
    // trusted to match the op log, so the room is dropped and loaded again from the store
    // by the next hello. Other rooms never notice.
    if (!broken_) log_error("room_reopened", "room=" + code_);
    broken_ = true;
    if (reason == protocol::Bye_reason::moved) moved_ = true;
    outbox_.clear();
    held_.clear();  // memory is not trusted: what the room held is lost (docs/security.md, "Anonymous ratings")
    drop_members([](const Member&) { return true; }, reason);
}

Room::Log_entry Room::make_entry(std::uint64_t seq, const std::string& by, const std::string& cmd,
                                 const json& patch) const
{
    Patch_views views = split_patch(patch, state_, by);
    Log_entry e{seq,    by, cmd, body_text(seq, by, cmd, views.full), nullptr, nullptr, nullptr, std::move(views.authors), {},
                views.facilitators_privileged};
    e.redacted_body = e.authors.empty() ? e.full_body : body_text(seq, by, cmd, views.redacted);
    e.full_message = as_patch_message(*e.full_body);
    e.redacted_message = e.authors.empty() ? e.full_message : as_patch_message(*e.redacted_body);
    for (auto& [pid, own] : views.own) {
        auto body = body_text(seq, by, cmd, own);
        auto message = as_patch_message(*body);
        e.own.emplace(pid, std::make_pair(std::move(body), std::move(message)));
    }
    return e;
}

void Room::hello(std::shared_ptr<Websocket_session> session, json message)
{
    in_order("hello", [this, session = std::move(session), message = std::move(message)] {
        // The room has said bye to its members: nobody joins a stopping server.
        if (context_.stopping) return session->send_and_close(bye_message(protocol::Bye_reason::server_shutdown));
        try {
            do_hello(session, message);
        } catch (...) {
            // The session reads nothing until its hello is answered: answer, then close.
            session->send_and_close(internal_error_message(nullptr));
            throw;
        }
    });
}

void Room::command(std::shared_ptr<Websocket_session> session, json id, std::string cmd, json args)
{
    ++in_flight_;  // until it has run, also while it waits behind a read
    ++appends_coming;
    in_order("command", [this, session = std::move(session), id = std::move(id), cmd = std::move(cmd),
                         args = std::move(args)] {
        struct Done {
            Room& room;
            ~Done()
            {
                --appends_coming;  // appended by now, if it appends at all
                --room.in_flight_;
                room.wake_readers();
            }
        } done{*this};
        try {
            do_command(session, id, cmd, args);
        } catch (...) {
            session->send(internal_error_message(id));
            throw;
        }
    });
}

void Room::leave(const void* session_id)
{
    in_order("leave", [this, session_id] { do_leave(session_id); });
}

void Room::rejoin_code(std::shared_ptr<Websocket_session> session)
{
    in_order("rejoin_code", [this, session = std::move(session)] {
        auto it = members_.find(session.get());
        if (it == members_.end() || it->second.role == Role::screen) {
            session->send(error_message(nullptr, Error_code::forbidden, "Only a person in the room can have a rejoin code."));
            return;
        }
        const Member& member = it->second;
        const std::int64_t now = now_ms();
        // One code per person at a time: a new one replaces the last; the expired go.
        for (auto c = rejoin_codes_.begin(); c != rejoin_codes_.end();)
            c = c->second.pid == member.pid || c->second.expires_ms < now ? rejoin_codes_.erase(c) : std::next(c);
        std::string code;
        while (code.size() < rejoin_code_length) {
            const std::uint32_t r = random_u32();
            // Only whole multiples of the alphabet, so every character is as likely.
            if (r >= UINT32_MAX - UINT32_MAX % code_alphabet.size()) continue;
            code += code_alphabet[r % code_alphabet.size()];
        }
        rejoin_codes_[sha256_hex(code)] = {member.pid, member.token, now + rejoin_code_ms};
        log_info("rejoin_code", "room=" + code_ + " pid=" + member.pid);
        session->send(text_of({{"type", protocol::type::rejoin_code},
                               {"code", code.substr(0, 5) + "-" + code.substr(5)},
                               {"expires_at_ms", now + rejoin_code_ms}}));
    });
}

void Room::with_state(std::function<void(const json&, const Room_record&)> read)
{
    in_order("with_state", [this, read = std::move(read)] { read(state_, record_); });
}

void Room::shutdown()
{
    on_strand("shutdown", [this] {
        vote_end_timer_.cancel();  // the I/O threads run out of work once members are gone
        // Held answers are written on a planned stop when there are enough to mix.
        if (!broken_ && !deleted_ && held_.count(ratings_topic) >= ratings_batch) store_ratings(held_.count(ratings_topic));
        drop_members([](const Member&) { return true; }, protocol::Bye_reason::server_shutdown);
    });
}

void Room::remove(std::string reason, std::function<void(bool ok)> done)
{
    on_strand("remove", [this, reason = std::move(reason), done = std::move(done)] {
        deleted_ = true;
        vote_end_timer_.cancel();
        held_.clear();  // a deleted meeting's answers go with it
        // Only the registry deletes a meeting; what it says is a bye reason of the protocol.
        const auto bye = protocol::bye_reason_from_string(reason).value_or(protocol::Bye_reason::room_deleted);
        drop_members([](const Member&) { return true; }, bye);
        context_.store.delete_room(code_, done);
    });
}

void Room::reject_hello(const std::shared_ptr<Websocket_session>& session, const Error& error)
{
    log_info("hello_rejected", "room=" + code_ + " code=" + std::string(to_string(error.code)));
    log_access(context_, {0, code_, "join_refused", "", "", "", session->peer(), std::string(to_string(error.code))});
    session->send_and_close(error_message(nullptr, error.code, error.message));
}

void Room::do_hello(const std::shared_ptr<Websocket_session>& session, const json& m)
{
    auto read = read_hello(m);
    if (auto* error = std::get_if<Error>(&read)) return reject_hello(session, *error);
    Hello hello = std::move(std::get<Hello>(read));
    // Another node has the room now: connecting again reaches it.
    if (moved_) return session->send_and_close(bye_message(protocol::Bye_reason::moved));
    if (broken_ || refusing_)
        return reject_hello(session, {Error_code::unavailable, "The database cannot save right now; try again in a moment."});
    if (deleted_) return reject_hello(session, {Error_code::unknown_room, "This meeting has been deleted."});
    if (hello.rejoin && !hello.token) {
        // A rejoin code stands for the token of the member who asked for it, once.
        hello.token = redeem_rejoin_code(session, *hello.rejoin);
        if (!hello.token)
            return reject_hello(session, {Error_code::unauthorized,
                                          "This rejoin code is not valid or has expired; show a new one on your other device."});
    }
    if (hello.token) return resume(session, *hello.token, hello.since);

    Role role = Role::participant;
    if (hello.key) {
        const std::string hash = sha256_hex(*hello.key);
        if (same_secret(hash, record_.facilitator_key_hash)) role = Role::facilitator;
        else if (same_secret(hash, record_.screen_key_hash)) role = Role::screen;
        else return reject_hello(session, {Error_code::unauthorized, "The key is not valid for this room."});
    }
    // The facilitator key is one person: it rejoins the facilitator it made, from any tab or device.
    if (role == Role::facilitator)
        if (auto pid = key_facilitator(*hello.key)) return rejoin_by_key(session, *hello.key, *pid, hello.since);
    join(session, hello, role);
}

std::optional<std::string> Room::redeem_rejoin_code(const std::shared_ptr<Websocket_session>& session,
                                                    const std::string& typed)
{
    auto found = rejoin_codes_.find(sha256_hex(plain_rejoin_code(typed)));
    if (found == rejoin_codes_.end() || found->second.expires_ms < now_ms()) {
        if (found != rejoin_codes_.end()) rejoin_codes_.erase(found);
        context_.addresses.code_failed(session->limit_key());
        return std::nullopt;
    }
    std::string token = found->second.token;
    rejoin_codes_.erase(found);
    log_info("rejoin_code_used", "room=" + code_);
    return token;
}

void Room::resume(const std::shared_ptr<Websocket_session>& session, const std::string& token,
                  std::optional<std::uint64_t> since)
{
    const std::string hash = sha256_hex(token);
    auto known = std::find_if(token_hashes_.begin(), token_hashes_.end(),
                              [&](const auto& entry) { return same_secret(entry.second, hash); });
    if (known == token_hashes_.end())
        return reject_hello(session, {Error_code::unauthorized,
                                      "This resume token is not valid for this room; join again with your name."});
    // A token of a participant merged into another resumes the kept one.
    std::string pid = known->first;
    for (int hops = 0; hops < 100 && participant(pid).contains("merged_into"); ++hops)
        pid = participant(pid).value("merged_into", pid);
    const json& p = participant(pid);
    if (p.value("removed", false)) return reject_hello(session, {Error_code::unauthorized, "You were removed from this meeting."});
    auto role = role_from_string(p.value("role", "participant")).value_or(Role::participant);
    if (state_["room"].value("status", "open") == "closed" && role == Role::participant)
        return reject_hello(session, {Error_code::room_closed, "The meeting has been closed."});
    if (auto refusal = join_over_limit(role, false)) return reject_hello(session, *refusal);
    const bool was_online = has_member(pid) || p.value("online", false);
    welcome_or_lobby(session, Member{session, pid, role, seq_, token}, since);
    if (!was_online) server_command("participant.online", {{"pid", pid}});
    log_info("resume", "room=" + code_ + " pid=" + pid);
    log_access(context_, {0, code_, "resume", std::string(to_string(role)), pid, p.value("name", ""), session->peer(), ""});
}

void Room::rejoin_by_key(const std::shared_ptr<Websocket_session>& session, const std::string& key,
                         const std::string& pid, std::optional<std::uint64_t> since)
{
    const std::string token = facilitator_token(key, pid);
    const std::string hash = sha256_hex(token);
    auto known = token_hashes_.find(pid);
    const bool new_hash = known == token_hashes_.end() || !same_secret(known->second, hash);
    const json& p = participant(pid);
    const bool was_online = has_member(pid) || p.value("online", false);
    welcome_or_lobby(session, Member{session, pid, Role::facilitator, seq_, token}, since);
    // A facilitator made before tokens came from the key gets its key's token now.
    if (!was_online || new_hash)
        server_command("participant.online", {{"pid", pid}}, new_hash ? std::optional(std::pair{pid, hash}) : std::nullopt);
    token_hashes_[pid] = hash;
    log_info("resume", "room=" + code_ + " pid=" + pid + " by=key");
    log_access(context_, {0, code_, "resume", "facilitator", pid, p.value("name", ""), session->peer(), "key"});
}

void Room::join(const std::shared_ptr<Websocket_session>& session, const Hello& hello, Role role)
{
    if (role == Role::participant && (!hello.name || !hello.group))
        return reject_hello(session, {Error_code::bad_request, "To join, say hello with your name and group."});
    // A facilitator or a screen may come without a name: the role's, in the room's language.
    const json& catalog = context_.assets.catalog(state_["room"].value("language", "fi"));
    const std::string name = hello.name ? *hello.name : tr(catalog, "role." + std::string(to_string(role)));
    const std::string group = hello.group.value_or("other");
    if (auto refusal = join_over_limit(role, true)) return reject_hello(session, *refusal);

    const std::string pid = participant_id_for(seq_ + 1);
    const std::string token = role == Role::facilitator ? facilitator_token(*hello.key, pid) : random_secret();
    // With everything before it durable, the welcome does not wait for the join's own commit:
    // it shows nothing of others that could be lost. A crash before that commit loses only this
    // member's join: its token is then unknown, and both clients join again with the name
    // (`unauthorized` to a resume) — the key still works, and each command it sent meanwhile
    // has a later seq in the same log, so none of it was acknowledged.
    const bool welcome_now = durable_seq_ == seq_;
    std::function<void()> after;
    if (!welcome_now)
        after = [this, session, pid, role, token] {
            welcome_or_lobby(session, Member{session, pid, role, seq_, token}, std::nullopt);
        };
    // The reducer's join checks the name and group and whether the meeting takes people now.
    // The session reads nothing until its welcome, so this is what keeps it alive meanwhile;
    // if it has gone, the welcome's write fails and its leave marks the participant offline.
    auto refusal = server_command(
        "participant.join", {{"name", name}, {"group", group}, {"role", std::string(to_string(role))}},
        std::pair{pid, sha256_hex(token)}, std::move(after), {},
        [this, session] {
            // Welcomed ahead of the join, the member leaves with it: the room is what the store holds.
            members_.erase(session.get());
            lobby_.erase(session.get());
            session->send_and_close(error_message(nullptr, Error_code::unavailable,
                                                  "The database cannot save right now; join again in a moment."));
        });
    if (refusal) return reject_hello(session, *refusal);
    if (welcome_now) welcome_or_lobby(session, Member{session, pid, role, seq_, token}, std::nullopt, true);
    token_hashes_[pid] = sha256_hex(token);
    log_info("join", "room=" + code_ + " pid=" + pid + " role=" + std::string(to_string(role)));
    log_access(context_, {0, code_, "join", std::string(to_string(role)), pid, name, session->peer(), ""});
}

std::string Room::facilitator_token(const std::string& key, const std::string& pid) const
{
    // Whoever holds the key can work this out again; from the token nobody can get back to the key.
    return sha256_hex("keha facilitator token\n" + code_ + "\n" + pid + "\n" + key);
}

std::optional<std::string> Room::key_facilitator(const std::string& key) const
{
    const json& people = state_["participants"];
    auto seq_of = [](const std::string& pid) {
        std::uint64_t seq = UINT64_MAX;  // ids are p<seq>; anything else sorts last
        if (pid.size() > 1) std::from_chars(pid.data() + 1, pid.data() + pid.size(), seq);
        return seq;
    };
    std::optional<std::string> made, first;
    for (const auto& [pid, p] : people.items()) {
        auto known = token_hashes_.find(pid);
        if (known != token_hashes_.end() && same_secret(known->second, sha256_hex(facilitator_token(key, pid))) &&
            (!made || seq_of(pid) < seq_of(*made)))
            made = pid;
        if (p.value("role", "") == "facilitator" && !p.value("removed", false) && (!first || seq_of(pid) < seq_of(*first)))
            first = pid;
    }
    // Rooms from before tokens came from the key keep their first facilitator.
    if (!made) return first;
    // Once the key has made a facilitator, only that person is the key's (merged: the kept one);
    // a co-facilitator made with participant.role is somebody else.
    std::string pid = *made;
    for (int hops = 0; hops < 100 && people.at(pid).contains("merged_into"); ++hops)
        pid = people.at(pid).at("merged_into").get<std::string>();
    const json& p = people.at(pid);
    if (p.value("role", "") != "facilitator" || p.value("removed", false)) return std::nullopt;
    return pid;
}

std::string Room::welcome_text(const std::shared_ptr<Websocket_session>& session, const Member& member,
                               std::optional<std::uint64_t> since, const std::string& token)
{
    const Viewer viewer{member.pid, member.role};
    std::string head = json{{"type", protocol::type::welcome}, {"protocol", protocol::version}, {"you", member.pid}, {"role", to_string(member.role)},
                            {"token", token}, {"seq", seq_}, {"join", session->wall().join(code_)}}
                           .dump();
    head.pop_back();  // the closing brace: state or replay follows
    // A replay needs every patch after `since` still in memory.
    const bool can_replay = since && *since <= seq_ &&
                            (*since == seq_ || (!log_.empty() && log_.front().seq <= *since + 1));
    if (!can_replay) {
        // Most members may see everything: then the state's text is copied, written again
        // only where patches changed it since the last welcome (state_text.hpp).
        return head + R"(,"state":)" +
               (view_is_whole(state_, viewer) ? state_text_.whole(state_) : dump_text(view_for(state_, viewer))) + "}";
    }
    std::string text = head + R"(,"replay":[)";
    bool first = true;
    for (const auto& e : log_) {
        if (e.seq <= *since) continue;
        if (!first) text += ',';
        first = false;
        text += *body_for(e, member.pid, member.role);
    }
    return text + "]}";
}

void Room::send_welcome(const std::shared_ptr<Websocket_session>& session, const Member& member,
                        std::optional<std::uint64_t> since, const std::string& token, bool ahead_of_join)
{
    auto message = std::make_shared<const std::string>(welcome_text(session, member, since, token));
    // The session reads nothing until its welcome, so this is what keeps it alive meanwhile.
    if (ahead_of_join) {
        // Its join's outbox entry answers a refusal of the join (Room::join).
        session->send(message);
        session->resume_reading();
        return;
    }
    // The welcome shows the state at seq_: it goes out once that is durable, in order with
    // the output before it. If the store refuses it, the state it showed is gone: the member
    // is welcomed again with what is durable.
    enqueue({seq_, seq_ <= durable_seq_,
             [session, message] {
                 session->send(message);
                 session->resume_reading();
             },
             [this, s = session] {
                 auto it = members_.find(s.get());
                 if (it == members_.end()) return;
                 Member m = std::move(it->second);
                 members_.erase(it);
                 const auto& p = state_["participants"];
                 if (p.contains(m.pid)) m.role = role_from_string(p[m.pid].value("role", "participant")).value_or(m.role);
                 welcome_or_lobby(s, std::move(m), std::nullopt);
             }});
}

void Room::welcome_or_lobby(const std::shared_ptr<Websocket_session>& session, Member member,
                            std::optional<std::uint64_t> since, bool ahead_of_join)
{
    const json& p = participant(member.pid);
    if (!p.value("admitted", true)) {
        // Why they wait, so their page can say what happens next.
        session->send(text_of({{"type", protocol::type::lobby}, {"you", member.pid}, {"token", member.token},
                               {"reason", lobby_reason(state_)}}));
        session->resume_reading();
        lobby_[session.get()] = std::move(member);
        return;
    }
    member.base_seq = seq_;
    send_welcome(session, member, since, member.token, ahead_of_join);
    register_member(session, std::move(member));
}

void Room::resync(bool everyone)
{
    for (auto it = lobby_.begin(); it != lobby_.end();) {
        auto s = it->second.session.lock();
        const json& p = participant(it->second.pid);
        if (s && p.value("admitted", true) && !p.value("removed", false)) {
            Member m = std::move(it->second);
            it = lobby_.erase(it);
            welcome_or_lobby(s, std::move(m), std::nullopt);
        } else {
            ++it;
        }
    }
    if (!everyone) return;
    for (auto& [id, m] : members_) {
        auto s = m.session.lock();
        if (!s) continue;
        m.role = role_from_string(participant(m.pid).value("role", "participant")).value_or(m.role);
        m.base_seq = seq_;
        send_welcome(s, m, std::nullopt, m.token);
    }
}

void Room::register_member(const std::shared_ptr<Websocket_session>& session, Member member)
{
    members_[session.get()] = std::move(member);
    last_used_ms = now_ms();
}

const json& Room::participant(const std::string& pid) const
{
    static const json none = json::object();
    auto all = state_.find("participants");
    if (all == state_.end() || !all->is_object()) return none;
    auto p = all->find(pid);
    return p != all->end() && p->is_object() ? *p : none;
}

bool Room::has_member(const std::string& pid) const
{
    for (const auto& [id, m] : members_)
        if (m.pid == pid) return true;
    for (const auto& [id, m] : lobby_)
        if (m.pid == pid) return true;
    return false;
}

void Room::refuse_command(const std::shared_ptr<Websocket_session>& session, const json& id, const Error& error)
{
    metrics().refused(error.code);
    enqueue({0, true, [session, id, error] { session->send(error_message(id, error.code, error.message)); }});
}

const Room::Member* Room::sender(const std::shared_ptr<Websocket_session>& session, const json& id)
{
    if (auto it = members_.find(session.get()); it != members_.end()) return &it->second;
    if (lobby_.count(session.get()))
        refuse_command(session, id, {Error_code::forbidden, "You are waiting in the lobby until a facilitator lets you in."});
    else
        refuse_command(session, id, {Error_code::bad_request, "Say hello before sending commands."});
    return nullptr;
}

namespace {

const Error unavailable_to_save{Error_code::unavailable,
                                "The database cannot save right now; nothing was changed. Try again in a moment."};

}  // namespace

void Room::do_command(const std::shared_ptr<Websocket_session>& session, const json& id, const std::string& cmd,
                      const json& args, const std::optional<json>& supplied)
{
    const Member* member = sender(session, id);
    if (!member || deleted_) return;
    if (refusing_) return refuse_command(session, id, unavailable_to_save);
    if (auto refusal = over_limit(*member, cmd)) return refuse_command(session, id, *refusal);
    const Actor actor{member->pid, member->role};
    auto checked = check_command(state_, actor, cmd);
    if (auto* error = std::get_if<Error>(&checked)) return refuse_command(session, id, *error);
    // Data the room does not hold, as the command table says, is read first (command_inputs.hpp).
    const Server_input input = std::get<const Command_spec*>(checked)->input;
    if (input != Server_input::none && !supplied) return read_input(session, id, cmd, args, input);
    const json* given = supplied && !supplied->is_null() ? &*supplied : nullptr;
    auto result = apply_command(state_, actor, Command{cmd, args}, Context{seq_ + 1, now_ms(), given, &column_ends_});
    if (auto* error = std::get_if<Error>(&result)) return refuse_command(session, id, *error);
    commit_command(session, id, *member, cmd, std::move(std::get<Applied>(result)));
}

void Room::read_input(const std::shared_ptr<Websocket_session>& session, const json& id, const std::string& cmd,
                      const json& args, Server_input input)
{
    using Input = std::variant<json, Error>;
    std::function<Input()> read;
    if (input == Server_input::rating_results) {
        // The close counts what the room holds: written first, all together.
        if (ratings_open() && held_.count(ratings_topic) >= ratings_batch) store_ratings(held_.count(ratings_topic));
        json ratings = {{"ratings", state_.contains("ratings") ? state_["ratings"] : json()}};
        read = [&store = context_.store, record = record_, ratings = std::move(ratings)] {
            return rating_results_input(store, record, ratings);
        };
    } else {
        read = [&store = context_.store, record = record_, args] { return earlier_meeting_input(store, record, args); };
    }
    read_then<Input>("command_input", std::move(read), [this, session, id, cmd, args](Off_io_result<Input> answer) {
        try {
            if (answer.error) std::rethrow_exception(answer.error);
            if (auto* error = std::get_if<Error>(&*answer.value)) return refuse_command(session, id, *error);
            do_command(session, id, cmd, args, std::get<json>(*answer.value));
        } catch (const Store_error& e) {
            log_error("store_failed", "room=" + code_ + " reading: " + e.what());
            refuse_command(session, id, unavailable_to_save);
        } catch (...) {
            session->send(internal_error_message(id));
            throw;
        }
    });
}

void Room::commit_command(const std::shared_ptr<Websocket_session>& session, const json& id, const Member& member,
                          const std::string& cmd, Applied applied)
{
    std::weak_ptr<Websocket_session> weak = session;
    json ack = {{"type", protocol::type::ack}, {"id", id}, {"seq", seq_ + 1}};
    ack.update(applied.effects.ack);
    std::function<void()> rejected = [weak, id] {
        metrics().refused(Error_code::unavailable);
        if (auto s = weak.lock())
            s->send(error_message(id, Error_code::unavailable,
                                  "The database could not save this; nothing was changed. Try again in a moment."));
    };
    const Effects& effects = applied.effects;
    if (effects.erased) {
        // The text leaves the store in the same commit as the delete (store.hpp erase_item),
        // and the patches in memory, so no resume replays it.
        const auto& [board, item] = *effects.erased;
        context_.store.erase_item(code_, board, item);
        log_.clear();
        log_access(context_, {0, code_, "item_erased", std::string(to_string(member.role)), member.pid, "",
                              session->peer(), "board=" + board + " item=" + item});
    }
    if (effects.anonymous_answer) rejected = hold_answer(*effects.anonymous_answer, std::move(rejected));
    // What release_answers needs after the commit is queued; the rest of the effects go to `after`.
    Effects held;
    held.anonymous_answer = std::move(applied.effects.anonymous_answer);
    held.release_held = std::move(applied.effects.release_held);
    held.drop_held = std::move(applied.effects.drop_held);
    auto after = [this, weak, ack = text_of(ack), effects = std::move(applied.effects)] {
        if (auto s = weak.lock()) s->send(ack);
        act_on(effects);
    };
    commit(member.pid, cmd, applied.patch, std::nullopt, std::move(after), {}, std::move(rejected));
    release_answers(held);
}

void Room::act_on(const Effects& effects)
{
    for (const auto& pid : effects.removed)
        drop_members([&](const Member& m) { return m.pid == pid; }, protocol::Bye_reason::removed);
    if (effects.merged)
        for (auto* group : {&members_, &lobby_})
            for (auto& [key, m] : *group)
                if (m.pid == effects.merged->first) m.pid = effects.merged->second;
    if (effects.room_closed) drop_members([](const Member&) { return true; }, protocol::Bye_reason::room_closed);
    if (effects.resync != Effects::Resync::none) resync(effects.resync == Effects::Resync::everyone);
}

std::function<void()> Room::hold_answer(const Effects::Anonymous_answer& answer, std::function<void()> rejected)
{
    // The op says who answered; the answer waits in memory (held_answers.hpp).
    held_.hold(answer.topic, answer.answer);
    if (!answer.release.empty()) release_commands_[answer.topic] = answer.release;
    // Refused by the store: the answer goes too, as if it had never been given.
    return [this, rejected = std::move(rejected), answer] {
        held_.take_back(answer.topic, answer.answer);
        rejected();
    };
}

void Room::release_answers(const Effects& effects)
{
    if (const auto& answered = effects.anonymous_answer) {
        if (answered->release.empty()) {
            // The questionnaire's own rule: 3 of every 6 held, chosen at random (keha/ratings.hpp).
            if (held_.count(answered->topic) >= 2 * ratings_batch) store_ratings(ratings_batch);
        } else if (held_.count(answered->topic) >= answered->batch) {
            release_topic(answered->topic);
        }
    }
    if (effects.release_held) release_topic(*effects.release_held);
    if (effects.drop_held) {
        held_.forget(*effects.drop_held);
        release_commands_.erase(*effects.drop_held);
    }
}

void Room::release_topic(const std::string& topic)
{
    auto command = release_commands_.find(topic);
    if (command == release_commands_.end()) return;
    std::vector<json> answers = held_.release(topic);
    if (answers.empty()) return;
    json args = {{"topic", topic}, {"answers", answers}};
    auto refused = server_command(command->second, std::move(args), std::nullopt, {}, anonymous_rows(topic, answers));
    // Not saved now: held again for the next release. Refused by the rules (the poll is gone): dropped.
    if (refused && refused->code == Error_code::unavailable)
        for (auto& answer : answers) held_.hold(topic, std::move(answer));
}

bool Room::ratings_open() const
{
    auto r = state_.find("ratings");
    return r != state_.end() && r->is_object() && r->value("open", false);
}

void Room::store_ratings(std::size_t n)
{
    std::vector<Rating_submission> chosen;
    for (const auto& answer : held_.release(ratings_topic, n)) chosen.push_back(rating_answer(code_, answer));
    const std::size_t count = chosen.size();
    auto rows = rating_rows_of(std::move(chosen));
    mix(rows);
    server_command("ratings.stored", {{"count", count}}, std::nullopt, {}, Anonymous_rows{std::move(rows), {}});
}

std::optional<Error> Room::over_limit(const Member& member, std::string_view cmd) const
{
    const Limits& limits = context_.options.limits;
    const Command_spec* spec = find_command(cmd);
    if (spec && spec->adds_item && limits.room_items > 0) {
        std::size_t items = 0;
        for (const auto& [name, board] : state_["boards"].items())
            if (board.contains("items")) items += board["items"].size();
        if (items >= limits.room_items)
            return Error{Error_code::limit_reached, "This room holds " + std::to_string(items) +
                                                        " items, as many as the server allows; remove some first."};
    }
    // A facilitator is never stopped for size, so a meeting can always be closed.
    if (member.role == Role::facilitator) return std::nullopt;
    if (limits.room_bytes > 0 && room_bytes_ >= limits.room_bytes)
        return Error{Error_code::limit_reached, "This room's history is as large as the server allows; only a "
                                                "facilitator can still change it."};
    auto mine = stored_bytes_.find(member.pid);
    if (limits.participant_bytes > 0 && mine != stored_bytes_.end() && mine->second >= limits.participant_bytes)
        return Error{Error_code::limit_reached, "You have written as much in this room as the server allows."};
    return std::nullopt;
}

std::optional<Error> Room::join_over_limit(Role role, bool new_participant) const
{
    if (role != Role::participant) return std::nullopt;
    const Limits& limits = context_.options.limits;
    if (limits.room_members > 0) {
        std::size_t connected = 0;
        for (const auto* members : {&members_, &lobby_})
            for (const auto& [key, m] : *members)
                if (m.role == Role::participant) ++connected;
        if (connected >= limits.room_members)
            return Error{Error_code::limit_reached, "This room has as many people connected as the server allows."};
    }
    if (!new_participant) return std::nullopt;
    std::size_t joined = 0;  // people who joined as participants (keys are never refused)
    for (const auto& [pid, p] : state_["participants"].items())
        if (p.value("role", "") == "participant") ++joined;
    if (limits.room_participants > 0 && joined >= limits.room_participants)
        return Error{Error_code::limit_reached, "As many people have joined this room as the server allows."};
    if (limits.room_bytes > 0 && room_bytes_ >= limits.room_bytes)
        return Error{Error_code::limit_reached, "This room's history is as large as the server allows."};
    return std::nullopt;
}

std::optional<Error> Room::server_command(const std::string& cmd, json args,
                                          std::optional<std::pair<std::string, std::string>> token,
                                          std::function<void()> after, Anonymous_rows rows,
                                          std::function<void()> rejected)
{
    const Error unavailable{Error_code::unavailable, "The database cannot save right now; try again in a moment."};
    if (broken_) return unavailable;
    if (refusing_) {
        // Nothing can be recorded now; who is online is set right after the next commit.
        reconcile_online_ = true;
        return unavailable;
    }
    auto result = apply(state_, Actor{"server", Role::server}, Command{cmd, std::move(args)},
                        Context{seq_ + 1, now_ms(), nullptr, &column_ends_});
    if (auto* error = std::get_if<Error>(&result)) return *error;
    commit("server", cmd, std::get<json>(result), std::move(token), std::move(after), std::move(rows),
           std::move(rejected));
    return std::nullopt;
}

void Room::commit(const std::string& by, const std::string& cmd, const json& patch,
                  std::optional<std::pair<std::string, std::string>> token, std::function<void()> after,
                  Anonymous_rows rows, std::function<void()> rejected)
{
    state_text_.changed(patch);  // applied to state_ by now
    if (deleted_) return;
    const std::uint64_t seq = ++seq_;
    Log_entry entry = make_entry(seq, by, cmd, patch);
    log_.push_back(entry);
    if (log_.size() > log_in_memory) log_.pop_front();

    Append step{code_, Op_record{seq, by, cmd, patch.dump(), now_ms()}, std::nullopt, std::move(token)};
    stored_bytes_[by] += step.op.patch.size();
    room_bytes_ += step.op.patch.size();
    if (context_.options.snapshot_every > 0 && seq % context_.options.snapshot_every == 0) step.snapshot = state_.dump();

    ++in_flight_;
    ++pending_commits_;
    enqueue({seq, false,
             [this, entry = std::move(entry), after = std::move(after), by_member = by != "server"] {
                 if (by_member) metrics().commands_applied.add();
                 broadcast(entry);
                 if (after) after();
             },
             std::move(rejected)});
    // A stopping server waits for the commit's answer (off_io.hpp keep_running).
    step.poll_values = std::move(rows.poll_values);
    context_.store.append(std::move(step), std::move(rows.ratings),
                          [self = shared_from_this(), seq, running = keep_running(strand_)](bool ok) {
        self->report_commit(seq, ok);
    });
    if (cmd.starts_with("vote.")) arm_vote_end();
}

void Room::report_commit(std::uint64_t seq, bool ok)
{
    if (!ok) {
        // Rare, and after every durable seq before it has been reported: its own post.
        on_strand("committed", [this, seq] { on_committed(seq, false); });
        return;
    }
    durable_upto_.store(seq);
    durable_count_.fetch_add(1);
    // One post carries every commit reported before it runs.
    if (!durable_posted_.exchange(true)) on_strand("committed", [this] { on_durable(); });
}

void Room::on_durable()
{
    durable_posted_.store(false);
    const int count = durable_count_.exchange(0);
    if (count == 0) return;
    const std::uint64_t upto = durable_upto_.load();
    // Taken as the reports of `count` appends, the last of them `upto`.
    in_flight_ -= count - 1;
    pending_commits_ -= count - 1;
    on_committed(upto, true);
}

void Room::on_committed(std::uint64_t seq, bool ok)
{
    --in_flight_;
    --pending_commits_;
    if (ok && !refusing_) {
        durable_seq_ = seq;
        for (auto& out : outbox_)
            if (out.seq != 0 && out.seq <= seq) out.committed = true;
        flush_outbox();
        if (reconcile_online_ && !broken_ && !context_.stopping) reconcile_online();
    } else if (!ok && !refusing_) {
        // The store refused: memory is ahead of the disk, so nobody may see it. The store
        // now refuses this room's later appends too, so the log cannot get a gap.
        log_error("store_failed", "room=" + code_ + " seq=" + std::to_string(seq));
        refusing_ = true;
        // Another node has the room now (store.hpp, claim_room): its members go there.
        if (!context_.store.holds_room(code_)) reopen(protocol::Bye_reason::moved);
        else roll_back();
    }
    accept_when_settled();
    wake_readers();
    hand_off_when_settled();
}

bool Room::congested() const
{
    return static_cast<std::size_t>(std::max(0, in_flight_.load(std::memory_order_relaxed))) >
           pause_reading_at(context_.options);
}

void Room::wake_when_uncongested(std::shared_ptr<Websocket_session> session)
{
    on_strand("wake_when_uncongested", [this, session = std::move(session)] {
        waiting_readers_.push_back(std::move(session));
        wake_readers();
    });
}

void Room::wake_readers()
{
    if (waiting_readers_.empty() ||
        static_cast<std::size_t>(std::max(0, in_flight_.load())) > resume_reading_at(context_.options))
        return;
    for (auto& session : waiting_readers_) session->room_uncongested();
    waiting_readers_.clear();
}

void Room::roll_back()
{
    reloading_ = true;  // this room's appends stay refused until it is what the store holds
    read_then<std::optional<Loaded_room>>(
        "roll_back", [&store = context_.store, code = code_] { return store.load_room(code); },
        [this](Off_io_result<std::optional<Loaded_room>> read) { rolled_back(std::move(read)); });
}

void Room::rolled_back(Off_io_result<std::optional<Loaded_room>> read)
{
    reloading_ = false;
    std::optional<Loaded_room> loaded;
    try {
        if (read.error) std::rethrow_exception(read.error);
        loaded = std::move(*read.value);
    } catch (const std::exception& e) {
        log_error("store_failed", "room=" + code_ + " reloading: " + e.what());
    }
    if (!loaded || broken_) {
        // Nothing durable to go back to: the room is loaded again when someone comes back.
        broken_ = true;
        outbox_.clear();
        held_.clear();  // what the room held is lost with it (docs/security.md, "Anonymous ratings")
        auto error = error_message(nullptr, Error_code::unavailable, "The database cannot be read; try again in a moment.");
        for (auto* group : {&members_, &lobby_}) {
            for (auto& [id, m] : *group)
                if (auto s = m.session.lock()) s->send_and_close(error);
            group->clear();
        }
        return accept_when_settled();
    }
    load(std::move(*loaded));
    arm_vote_end();
    reconcile_online_ = true;
    // Members have seen only durable output, so their states are what the store holds.
    // What waited for a refused commit gets its rejection instead (an error to the sender,
    // a welcome of the durable state); the rest goes out in order.
    auto waiting = std::move(outbox_);
    outbox_.clear();
    flushing_ = true;  // new welcomes queue behind what was waiting
    for (auto& out : waiting) {
        if (out.seq == 0 || out.committed) {
            if (out.deliver) out.deliver();
        } else if (out.reject) {
            out.reject();
        }
    }
    flushing_ = false;
    flush_outbox();
    log_warning("rolled_back", "room=" + code_ + " seq=" + std::to_string(seq_));
    accept_when_settled();
}

void Room::accept_when_settled()
{
    if (!refusing_ || pending_commits_ > 0 || reloading_) return;
    context_.store.accept_appends(code_);
    refusing_ = false;
}

void Room::reconcile_online()
{
    reconcile_online_ = false;
    std::set<std::string> here;
    for (auto* group : {&members_, &lobby_})
        for (const auto& [id, m] : *group) here.insert(m.pid);
    std::vector<std::pair<std::string, bool>> changes;
    for (const auto& [pid, p] : state_["participants"].items()) {
        const bool online = p.value("online", false);
        if (!p.value("removed", false) && online != (here.count(pid) > 0)) changes.emplace_back(pid, !online);
    }
    for (const auto& [pid, online] : changes)
        server_command(online ? "participant.online" : "participant.offline", {{"pid", pid}});
}

void Room::enqueue(Outgoing out)
{
    if (broken_) return;
    outbox_.push_back(std::move(out));
    flush_outbox();
}

void Room::flush_outbox()
{
    // Output delivered here may queue more (a welcome after a role change): the loop below
    // takes it in order.
    if (flushing_) return;
    flushing_ = true;
    while (!outbox_.empty() && outbox_.front().committed) {
        auto deliver = std::move(outbox_.front().deliver);
        outbox_.pop_front();
        deliver();
    }
    flushing_ = false;
}

void Room::broadcast(const Log_entry& entry)
{
    for (const auto& [id, m] : members_) {
        if (entry.seq <= m.base_seq) continue;
        auto s = m.session.lock();
        if (!s) continue;
        s->send(message_for(entry, m.pid, m.role));
    }
}

void Room::drop_members(std::function<bool(const Member&)> which, protocol::Bye_reason reason)
{
    auto bye = bye_message(reason);
    for (auto* group : {&members_, &lobby_})
        for (auto it = group->begin(); it != group->end();) {
            if (!which(it->second)) {
                ++it;
                continue;
            }
            if (auto s = it->second.session.lock()) s->send_and_close(bye);
            it = group->erase(it);
        }
}

void Room::do_leave(const void* session_id)
{
    last_used_ms = now_ms();
    std::string pid;
    if (auto it = members_.find(session_id); it != members_.end()) {
        pid = it->second.pid;
        members_.erase(it);
    } else if (auto w = lobby_.find(session_id); w != lobby_.end()) {
        pid = w->second.pid;
        lobby_.erase(w);
    } else {
        return;
    }
    if (has_member(pid) || broken_ || context_.stopping) return;
    const json& p = participant(pid);
    if (p.value("online", false)) server_command("participant.offline", {{"pid", pid}});
}

}  // namespace keha::server
