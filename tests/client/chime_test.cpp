// The wall's time-box chime: the samples it plays, and when it plays them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "chime.hpp"

using keha::desk::Chime_trigger;
using keha::desk::chime_rate;
using keha::desk::chime_samples;

namespace {

// The strength of one frequency in a stretch of samples (one bin of a Fourier transform).
double strength(const std::vector<std::int16_t>& s, double seconds_from, double seconds_to, double hz)
{
    double re = 0, im = 0;
    auto from = static_cast<std::size_t>(seconds_from * chime_rate), to = static_cast<std::size_t>(seconds_to * chime_rate);
    for (std::size_t i = from; i < to; ++i) {
        double a = 2 * 3.14159265358979 * hz * static_cast<double>(i) / chime_rate;
        re += s[i] * std::cos(a);
        im += s[i] * std::sin(a);
    }
    return std::hypot(re, im) / static_cast<double>(to - from);
}

}  // namespace

TEST(Chime, SamplesAreAboutOneSecondOfTwoSoftNotes)
{
    auto s = chime_samples();
    // 0.02 s before the first note, the second 0.45 s later and 0.65 s long.
    EXPECT_NEAR(static_cast<double>(s.size()) / chime_rate, 1.12, 0.01);
    int peak = 0;
    for (auto v : s) peak = std::max(peak, std::abs(static_cast<int>(v)));
    EXPECT_GT(peak, 32767 / 8);        // audible
    EXPECT_LT(peak, 32767 * 6 / 10);   // gentle, well below full scale
    EXPECT_EQ(s.front(), 0);
    EXPECT_EQ(s.back(), 0);
    EXPECT_LT(std::abs(static_cast<int>(s[s.size() - 2])), 4);  // fades out, no click
    // First note alone: 660 Hz, no 880 Hz.
    EXPECT_GT(strength(s, 0.05, 0.45, 660), 10 * strength(s, 0.05, 0.45, 880));
    // Second note: 880 Hz stronger than the fading first.
    EXPECT_GT(strength(s, 0.50, 0.70, 880), 2 * strength(s, 0.50, 0.70, 660));
    EXPECT_GT(strength(s, 0.50, 0.70, 880), 100);
}

TEST(Chime, RingsOnceWhenARunningBoxGoesOver)
{
    Chime_trigger t;
    EXPECT_FALSE(t.update(true, 2000));
    EXPECT_FALSE(t.update(true, 1));
    EXPECT_TRUE(t.update(true, 0));
    EXPECT_FALSE(t.update(true, -16));  // not every frame
    EXPECT_FALSE(t.update(true, -60000));
    // A new box, and it ends too.
    EXPECT_FALSE(t.update(true, 300000));
    EXPECT_TRUE(t.update(true, -5));
}

TEST(Chime, QuietForABoxAlreadyOverWhenTheWallJoins)
{
    Chime_trigger t;
    EXPECT_FALSE(t.update(true, -4000));
    EXPECT_FALSE(t.update(true, -4016));
}

TEST(Chime, QuietWhenPausedOrStopped)
{
    Chime_trigger t;
    EXPECT_FALSE(t.update(false, std::nullopt));
    EXPECT_FALSE(t.update(false, 0));   // paused at zero
    EXPECT_FALSE(t.update(false, std::nullopt));
    EXPECT_TRUE(t.update(true, -1));    // started and over on the next reading
}
