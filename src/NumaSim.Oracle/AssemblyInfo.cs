[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("NumaSim.Oracle.Tests")]
