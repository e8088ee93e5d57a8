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
        A finding, not a given: on this small bundled model the learned filters do not beat the plain threshold. On 100
        test prompts (canvas 256), holding the reference's accuracy took the threshold 13.3 steps at block 32 and 8.7
        with the whole canvas as one block; the paper's filter never held it at the tauFilters that would save steps,
        the slot filter (one small network per slot, reading confidence, margin, entropy, place and stability) took 19.4
        and 14.4, and its confidence-only twin 14.2 and 8.6. EoTP gives every decoder most of its speed. The filter
        picker switches the right pane's filter; the <em>Benchmark</em> tab measures them on your machine.
      </p>
    </aside>
  );
}
