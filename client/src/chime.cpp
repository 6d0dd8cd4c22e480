#include "chime.hpp"

#include <alsa/asoundlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>

namespace keha::desk {

std::vector<std::int16_t> chime_samples()
{
    constexpr double pi = 3.14159265358979323846;
    constexpr double lead = 0.02, gap = 0.45, rise = 0.04, fade = 0.6, length = 0.65;
    constexpr double peak = 0.25, floor = 0.001;
    const double total = lead + gap + length;
    std::vector<double> mix(static_cast<std::size_t>(total * chime_rate), 0.0);
    for (auto [hz, at] : {std::pair{660.0, lead}, std::pair{880.0, lead + gap}}) {
        auto first = static_cast<std::size_t>(at * chime_rate);
        auto count = static_cast<std::size_t>(length * chime_rate);
        for (std::size_t i = 0; i < count && first + i < mix.size(); ++i) {
            double t = static_cast<double>(i) / chime_rate;
            // A linear rise, then an exponential fade to `floor` (as the browser's gain ramps),
            // and a short linear tail to zero so the note stops without a click.
            double gain = t < rise ? peak * t / rise : peak * std::pow(floor / peak, std::min(1.0, (t - rise) / (fade - rise)));
            if (t > fade) gain = floor * (length - t) / (length - fade);
            mix[first + i] += gain * std::sin(2 * pi * hz * t);
        }
    }
    std::vector<std::int16_t> out(mix.size());
    std::transform(mix.begin(), mix.end(), out.begin(),
                   [](double v) { return static_cast<std::int16_t>(std::lround(std::clamp(v, -1.0, 1.0) * 32767)); });
    return out;
}

bool Chime_trigger::update(bool running, std::optional<std::int64_t> remaining_ms)
{
    bool over = running && remaining_ms && *remaining_ms <= 0;
    bool chime = was_over_ == false && over;
    was_over_ = over;
    return chime;
}

namespace {

// ALSA's own messages would add lines of their own; the one line below says it.
void quiet(const char*, int, const char*, int, const char*, ...) {}

void play(const std::vector<std::int16_t>& samples)
{
    static std::atomic<bool> told{false};
    auto fail = [](const char* what, int err) {
        if (!told.exchange(true)) std::fprintf(stderr, "keha-desk: no time-box sound: %s: %s\n", what, snd_strerror(err));
    };
    snd_lib_error_set_handler(quiet);
    snd_pcm_t* pcm = nullptr;
    if (int err = snd_pcm_open(&pcm, "default", SND_PCM_STREAM_PLAYBACK, 0); err < 0) return fail("open", err);
    if (int err = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, chime_rate, 1, 200000);
        err < 0) {
        snd_pcm_close(pcm);
        return fail("set up", err);
    }
    const std::int16_t* at = samples.data();
    auto left = static_cast<snd_pcm_uframes_t>(samples.size());
    while (left > 0) {
        snd_pcm_sframes_t n = snd_pcm_writei(pcm, at, left);
        if (n < 0) n = snd_pcm_recover(pcm, static_cast<int>(n), 1);
        if (n < 0) {
            fail("write", static_cast<int>(n));
            break;
        }
        at += n;
        left -= static_cast<snd_pcm_uframes_t>(n);
    }
    snd_pcm_drain(pcm);
    snd_pcm_close(pcm);
}

}  // namespace

void play_chime()
{
    static const std::vector<std::int16_t> samples = chime_samples();
    std::thread([] { play(samples); }).detach();
}

}  // namespace keha::desk
