import Link from 'next/link';

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-2xl font-bold">You do not have access to this page</h1>
      <p className="mt-2 text-slate-600">Your account&apos;s role does not allow it. Ask an administrator if you need access.</p>
      <Link className="mt-6 inline-block text-brand-600 hover:underline" href="/">
        Back to the home page
      </Link>
    </div>
  );
}
