// "What am I looking at": the short explanation for a classroom.
export function Explainer() {
  return (
    <aside className="explainer" aria-label="What am I looking at">
      <h3>What am I looking at?</h3>
      <p>
        A <strong>diffusion language model</strong> writes its answer on a canvas of masked slots. Every step is one
        pass of the network (one <em>NFE</em>): it guesses a token for every masked slot at once, with a confidence.
        Faint slots are those guesses; the decoder <em>commits</em> some of them (solid slots, tinted by the step that
        committed them) and asks again. Blocks are filled left to right.
      </p>
      <p>
        <strong>Fast-dLLM's threshold</strong> commits every guess whose confidence passes a fixed τ.{' '}
        <strong>Learn2PD</strong> instead asks a tiny learned filter which guesses are already final, so it commits more
        per step; with <strong>EoTP</strong> it stops as soon as the end of the text is decided (struck-out slots).
        Fewer steps means a faster answer. The checks below each pane say whether it is still the same answer.
      </p>
      <p>
        A finding, not a given: on this small bundled model, measured on 300 test prompts, the learned filter is less
        accurate than the plain threshold at the same number of steps, and EoTP gives either decoder most of its speed.
        The <em>Benchmark</em> tab measures both on your machine.
      </p>
    </aside>
  );
}
