// "What am I looking at": the short explanation for a classroom.
export function Explainer() {
  return (
    <aside className="explainer" aria-label="What am I looking at">
      <h3>What am I looking at?</h3>
      <p>
        A <strong>diffusion language model</strong> writes its answer on a canvas of masked slots. Every step is one
        pass of the network (one <em>NFE</em>): it guesses a token for every masked slot at once, with a confidence.
        Blue slots are those guesses (darker: more confident); the decoder <em>commits</em> some of them (solid slots,
        tinted by the step that committed them) and asks again. Blocks are filled left to right.
      </p>
      <p>
        <strong>Fast-dLLM's threshold</strong> commits every guess whose confidence passes a fixed τ.{' '}
        <strong>Learn2PD</strong> instead asks a tiny learned filter which guesses are already final.{' '}
        <strong>EoTP</strong> (end-of-text prediction) works with any decoder: it stops as soon as the end of the text
        is decided and cuts the padding after it (struck-out slots). Both panes always use the same canvas, block and
        EoTP setting, so the difference you see is the commit rule's (or, in "EoTP off vs on", EoTP's).
      </p>
      <p>
        A finding, not a given: on this small bundled model the learned filters do not beat the plain threshold, at any
        block length. On 300 test prompts (canvas 256), holding the reference's accuracy took the threshold 13.8 steps
        at block 32, 9.1 at 64, 7.5 at 128 and 6.5 with the whole canvas as one block; the paper's filter took 17.1 at
        block 32 and never held it at the longer blocks, the slot filter (one small network per slot, reading
        confidence, margin, entropy, place and stability) 18.4 at 32 and 11.8 at 256, and its confidence-only twin (the
        default here, chosen on validation prompts) 13.7, 11.7, 11.1 and 7.4: a tie at best. EoTP gives every decoder
        most of its speed. The filter picker switches the right pane's filter; the <em>Benchmark</em> tab measures them
        on your machine, and the <em>Train</em> tab trains one here, from the model's own trajectories.
      </p>
      <p>
        The <strong>KV cache</strong> (Fast-dLLM's, in the settings) keeps every layer's keys and values from a block's
        first step, so later steps forward only the block (dual) or the block and what follows (prefix); dashed slots
        are the stale ones. On canvas 256 the dual cache makes one-token-per-step decoding 3.5x faster, but a decoder
        that finishes most blocks in a step or two gains little, and stale keys can change the answer.
      </p>
    </aside>
  );
}
