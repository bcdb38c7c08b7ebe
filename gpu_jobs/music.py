"""The offline music bed: a chord loop with bass, plucks and a soft kick, from ffmpeg's aevalsrc.

Pure: returns filtergraph text. The expression is evaluated per sample, so it runs at a low rate
and is resampled; a bed under a voice needs no more than 8 kHz of bandwidth.
"""

from __future__ import annotations

MUSIC_RATE = 16000
# I–V–vi–IV in C: root frequency (Hz) and third ratio (major 2^(4/12), minor 2^(3/12)).
PROGRESSION = ((261.63, 1.2599), (196.00, 1.2599), (220.00, 1.1892), (174.61, 1.2599))


def music_expr(bpm: int) -> str:
    """One aevalsrc expression (channel 0) for a four-chord loop, one chord per bar."""
    beat = 60.0 / bpm
    roots = _pick("ld(0)", [f"{r:g}" for r, _ in PROGRESSION])
    thirds = _pick("ld(0)", [f"{t:g}" for _, t in PROGRESSION])
    return ";".join(
        [
            f"st(0,mod(floor(t/{4 * beat:.6f}),4))",
            f"st(1,{roots})",
            f"st(2,{thirds})",
            f"st(3,mod(t,{beat:.6f}))",  # time since the beat
            f"st(4,mod(t,{beat / 2:.6f}))",  # time since the eighth note
            # pad: root, third, fifth, slowly breathing
            "st(5,(sin(2*PI*ld(1)*t)+0.7*sin(2*PI*ld(1)*ld(2)*t)+0.6*sin(2*PI*ld(1)*1.4983*t))"
            "*(0.8+0.2*sin(2*PI*0.25*t)))",
            "st(6,0.9*sin(2*PI*ld(1)/2*t))",  # bass an octave down
            # pluck: alternates fifth and octave on eighth notes, decaying
            f"st(7,exp(-ld(4)*9)*sin(2*PI*ld(1)*if(mod(floor(t/{beat / 2:.6f}),2),1.4983,2)*t))",
            "st(8,exp(-ld(3)*30)*sin(2*PI*(50+60*exp(-ld(3)*40))*t))",  # kick
            "0.12*ld(5)+0.12*ld(6)+0.18*ld(7)+0.35*ld(8)",
        ]
    )


def music_chain(bpm: int, duration_s: float, gain_db: float, label: str) -> str:
    """Filtergraph text producing ``[label]``: the bed at 48 kHz, faded in and out."""
    expr = music_expr(bpm).replace("'", "")
    fade_out = max(0.0, duration_s - 1.0)
    return (
        f"aevalsrc='{expr}':s={MUSIC_RATE}:d={duration_s:.3f},"
        "lowpass=f=5000,aresample=48000,"
        f"afade=t=in:d=0.5,afade=t=out:st={fade_out:.3f}:d=1,volume={gain_db:g}dB[{label}]"
    )


def _pick(index: str, values: list[str]) -> str:
    """Nested if(): values[index] for a small integer index."""
    expr = values[-1]
    for i in range(len(values) - 2, -1, -1):
        expr = f"if(eq({index},{i}),{values[i]},{expr})"
    return expr
