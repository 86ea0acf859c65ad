import { render } from 'preact';

function App() {
  return <main data-testid="confirm-root">Tweetez Payez</main>;
}

render(<App />, document.getElementById('app')!);
