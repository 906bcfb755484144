import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <Link className="mt-6 inline-block text-brand-600 hover:underline" href="/">
        Back to the home page
      </Link>
    </div>
  );
}
