// Layout only. The full comparison UI arrives with the browser-app issue; for now the page says what the
// project is and which WebGPU adapter this browser offers.
import { useEffect, useState } from 'react';
import { probeWebGpu, type GpuProbe } from './gpu';

export function App() {
  const [gpu, setGpu] = useState<GpuProbe | null>(null);
  useEffect(() => {
    let live = true;
    void probeWebGpu().then((probe) => live && setGpu(probe));
    return () => {
      live = false;
    };
  }, []);
  const backend = gpu === null ? 'probing' : gpu.kind === 'webgpu' ? 'webgpu' : 'wasm';
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '2rem auto', padding: '0 1rem' }}>
      <h1>Learn2PD in the browser</h1>
      <p>
        Diffusion language models fill a canvas of masked tokens over denoising steps. Learn2PD learns which
        predictions are already final, so many tokens can be committed in one step.
      </p>
      <p data-testid="backend" data-backend={backend}>
        Backend: {gpu === null ? 'probing WebGPU…' : gpu.kind === 'webgpu' ? `WebGPU (${gpu.adapter})` : `WASM (${gpu.reason})`}
      </p>
    </main>
  );
}
