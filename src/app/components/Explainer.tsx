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
        A finding, not a given: on this small bundled model, measured on 300 test prompts, the learned filter does not
        beat the plain threshold, and EoTP gives either decoder most of its speed. The <em>Benchmark</em> tab measures
        both on your machine.
      </p>
    </aside>
  );
}
