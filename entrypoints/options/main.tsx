import { render } from 'preact';

function App() {
  return <main data-testid="options-root">Tweetez Payez</main>;
}

render(<App />, document.getElementById('app')!);
